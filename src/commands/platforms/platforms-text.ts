import { DEFAULT_PLATFORM } from '../../platforms/index.js';
import type { PlatformProfile } from '../../platforms/profile.js';
import { APP_SHUTDOWN_BUDGET_SECONDS, minimumPreStopSeconds, platformTimings } from '../../platforms/timings.js';

/** Every line fits a terminal of this width. */
const WIDTH = 80;

/** Holds two words together while wrapping. */
const GLUE = '\u0000';

/**
 * Every profile: a table of the numbers (propagation, what a terminating pod gets, the preStop and grace synth
 * derives), then each platform's draining and sources, wrapped to 80 columns.
 */
export function platformsListing(profiles: readonly PlatformProfile[]): string {
  const header = ['platform', 'min', 'typical', 'worst', 'terminating pods', 'preStop', 'grace'];
  const rows = profiles.map((profile) => {
    const { min, typical, worst } = profile.propagation.seconds;
    const timings = platformTimings(profile);
    return [
      `${profile.name}${profile.name === DEFAULT_PLATFORM ? '*' : ''}`,
      seconds(min),
      seconds(typical),
      seconds(worst),
      profile.terminating.traffic,
      seconds(timings.preStopSeconds),
      seconds(timings.terminationGracePeriodSeconds),
    ];
  });
  const lines = [
    ...wrap(
      'In seconds. Propagation (min, typical, worst): from a pod leaving the endpoints until no new request reaches it.',
      '',
      '',
    ),
    '',
    ...table([header, ...rows]),
    ...wrap(
      `* the default. preStop = worst + the platform's margin, rounded up; grace = preStop + ${APP_SHUTDOWN_BUDGET_SECONDS} s.`,
      '',
      '  ',
    ),
    '',
  ];
  for (const profile of profiles) {
    lines.push(...wrap(`${profile.name}: ${profile.title}`, '', '  '));
    lines.push(...wrap(`draining: ${profile.draining}`, '  ', '    '));
    lines.push('  sources:');
    for (const source of profile.sources) lines.push(...wrap(source.ref, '    ', '      '));
    lines.push('');
  }
  lines.push(
    ...wrap('zdd platforms NAME shows one in full: how each number comes about, and what each source says.', '', ''),
    ...wrap('--platform NAME on synth, diff, check and compare, or platform: NAME in a config file.', '', ''),
  );
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}

/** One profile in full: each field with its explanation, the timings synth and check derive, the sources. */
export function platformDetail(profile: PlatformProfile): string {
  const timings = platformTimings(profile);
  const { min, typical, worst } = profile.propagation.seconds;
  const lines = [
    ...wrap(`${profile.name}: ${profile.title}${profile.name === DEFAULT_PLATFORM ? ' (the default)' : ''}`, '', '  '),
    '',
  ];
  const field = (label: string, ...texts: string[]) => {
    const first = label.padEnd(13);
    texts.forEach((text, index) => {
      lines.push(...wrap(text, index === 0 ? first : ' '.repeat(13), ' '.repeat(13)));
    });
  };
  field(
    'propagation',
    `min ${seconds(min)} s, typical ${seconds(typical)} s, worst ${seconds(worst)} s`,
    profile.propagation.how,
  );
  field('terminating', `${profile.terminating.traffic}: ${profile.terminating.how}`);
  field('draining', profile.draining);
  if (profile.assumes.length > 0) field('assumes', ...profile.assumes);
  const synth = [
    `preStop sleep ${timings.preStopSeconds} s (worst ${seconds(worst)} s + margin ${seconds(profile.marginSeconds)} s, rounded up)`,
    `terminationGracePeriodSeconds ${timings.terminationGracePeriodSeconds} (preStop + ${APP_SHUTDOWN_BUDGET_SECONDS} s for the app's shutdown)`,
  ];
  const { sidecar } = profile;
  if (sidecar !== undefined && timings.sidecarDrainSeconds !== undefined) {
    synth.push(
      `pod annotation ${sidecar.drainAnnotation}: "${sidecar.drainAnnotationValue(timings.sidecarDrainSeconds)}" (the sidecar drains as long as the preStop sleep; ${sidecar.defaultDrainSeconds} s otherwise)`,
    );
  }
  field('synth', ...synth);
  field(
    'check',
    `prestop-shorter-than-propagation fires below a preStop sleep of ${seconds(minimumPreStopSeconds(profile))} s (the worst propagation)`,
  );
  field('local', `compare emulates it as ${emulationText(profile)}`);
  lines.push('', 'sources');
  for (const source of profile.sources) {
    lines.push(...wrap(source.ref, '  ', '    '));
    lines.push(...wrap(source.says, '    ', '    '));
  }
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}

function emulationText(profile: PlatformProfile): string {
  const { kind, removeSeconds, addSeconds } = profile.emulation;
  if (kind === 'reload-interval') return 'a router that applies endpoint changes at its reloads (--reload-interval)';
  if (kind === 'delayed-push') {
    return `a proxy that drops a removed endpoint ${seconds(removeSeconds)} s and adds a new one ${seconds(addSeconds)} s after the change, without reloading`;
  }
  return `a load balancer that goes on sending to a removed target for ${seconds(removeSeconds)} s and sends to a new one ${seconds(addSeconds)} s after it is ready`;
}

/** `3.5`, `120`. */
function seconds(value: number): string {
  return String(Number(value.toFixed(3)));
}

/** Columns padded to their widest cell, two spaces apart. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
}

/** `text` in lines of at most 80 columns, the first after `first`, the others after `rest`; words are not split. */
function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  // A number stays on the line of its unit: `10 s`, `100 ms`.
  const words = text.replace(/(\d) (s|ms)\b/g, `$1${GLUE}$2`).split(/[ \t\n]+/);
  for (const word of words.flatMap((part) => pieces(part.replaceAll(GLUE, ' '), WIDTH - rest.length))) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else line = empty ? line + word : `${line} ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** A word as pieces of at most `room` characters, a long address broken after a `/`; none for an empty word. */
function pieces(word: string, room: number): string[] {
  const parts: string[] = [];
  let left = word;
  while (left.length > room) {
    const slash = left.lastIndexOf('/', room - 1);
    const cut = slash > 0 ? slash + 1 : room;
    parts.push(left.slice(0, cut));
    left = left.slice(cut);
  }
  if (left !== '') parts.push(left);
  return parts;
}
