/**
 * Image families known to ship no shell and no `sleep` binary, with the tags that add one. zdd cannot see inside an
 * image, so it goes by the name: the one copy of this rule, for `zdd check`'s `prestop-exec-needs-shell` and for
 * synth's warning when it writes an exec hook.
 */
const SHELL_LESS_IMAGES: ReadonlyArray<{ readonly name: string; readonly test: (image: string) => boolean }> = [
  // gcr.io/distroless/static, …/base, …/java17: no shell; the :debug tags add busybox.
  { name: 'distroless', test: (image) => /(^|\/)distroless\//.test(image) && !/:debug/.test(image) },
  // Chainguard's images have no shell except their -dev tags.
  { name: 'Chainguard', test: (image) => /^cgr\.dev\/chainguard\//.test(image) && !/:[^/]*-dev\b/.test(image) },
  { name: 'Ubuntu chiseled', test: (image) => /chiseled/.test(image) },
  { name: 'scratch', test: (image) => /^(docker\.io\/(library\/)?)?scratch(:|$)/.test(image) },
];

/** The words `zdd check`'s help and the README use for the rule above. */
export const SHELL_LESS_IMAGES_TEXT =
  'distroless (gcr.io/distroless/…, except :debug tags), Chainguard (cgr.dev/chainguard/…, except -dev tags), Ubuntu chiseled images and scratch';

/** The family of a shell-less image (`distroless`), or undefined for an image that may have a shell. */
export function shellLessFamily(image: string): string | undefined {
  return SHELL_LESS_IMAGES.find((entry) => entry.test(image))?.name;
}
