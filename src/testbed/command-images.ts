/**
 * Images whose containers the test bed runs with their own `command` and `args` (run-to-completion pods such
 * as the k6-operator's), their programs taken from this machine: unlike the app images (images.ts), whose
 * container is played by a mapped local command, what these run is the point.
 */
export interface CommandImage {
  /** For messages: `grafana/k6`. */
  readonly name: string;
  readonly matches: (image: string) => boolean;
  /** The container's programs as local ones (`k6` → the k6 the test bed runs); other programs run as they are. */
  readonly programs: Readonly<Record<string, string>>;
}

/** `repository` with any tag, from any registry. */
function repository(name: string): (image: string) => boolean {
  return (image) => {
    const withoutTag = image.replace(/[:@][^/]*$/, '');
    return withoutTag === name || withoutTag.endsWith(`/${name}`);
  };
}

/**
 * The k6-operator's images: its runners (`grafana/k6`: `k6 run … --paused`, released through their REST API),
 * and its starter (a curl image: `sh -c "curl -X PATCH …"`), which runs with this machine's sh and curl.
 */
export function k6OperatorImages(k6: string): CommandImage[] {
  return [
    { name: 'grafana/k6', matches: repository('grafana/k6'), programs: { k6 } },
    {
      name: 'the k6-operator starter',
      matches: (image) => repository('grafana/k6-operator')(image) && /:[^/]*starter$/.test(image),
      programs: {},
    },
  ];
}

export function findCommandImage(images: readonly CommandImage[], image: string): CommandImage | undefined {
  return images.find((candidate) => candidate.matches(image));
}
