import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** Debian's JMeter (`apt-get install jmeter jmeter-http`): 2.13, run through the launcher that opens XStream. */
const DEBIAN_HOME = '/usr/share/jmeter';
const LAUNCHER = fileURLToPath(new URL('../fixtures/importers/RunJMeter.java', import.meta.url));

export const JMETER_INSTALL =
  'apt-get install -y jmeter jmeter-http (and a JDK: apt-get install -y default-jdk-headless)';

/**
 * How to start JMeter here, or undefined: Debian's JMeter 2.13 needs a JDK to run the launcher
 * (`java RunJMeter.java` compiles it in memory), see RunJMeter.java.
 */
export function findJMeter(): { readonly home: string } | undefined {
  const hasJmeter = existsSync(`${DEBIAN_HOME}/bin/ApacheJMeter.jar`);
  const hasJavac = existsSync('/usr/bin/javac');
  return hasJmeter && hasJavac ? { home: DEBIAN_HOME } : undefined;
}

/**
 * Runs a plan in non-GUI mode and writes its results to `results` (CSV). `properties` become `-J` flags
 * (the plans read them with `__P`); every request goes where the plan and its properties say.
 */
export async function runJMeter(options: {
  readonly plan: string;
  readonly results: string;
  readonly log: string;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  readonly timeoutMs?: number;
}): Promise<void> {
  const found = findJMeter();
  if (found === undefined) throw new Error(`JMeter is not installed: ${JMETER_INSTALL}`);
  const classpath = [`${found.home}/bin/ApacheJMeter.jar`, `${found.home}/lib/ext/*`, `${found.home}/lib/*`].join(':');
  const result = await execa(
    'java',
    [
      '-cp',
      classpath,
      `-Djmeter.home=${found.home}`,
      LAUNCHER,
      '-n',
      '-t',
      options.plan,
      '-l',
      options.results,
      '-j',
      options.log,
      ...Object.entries(options.properties).map(([name, value]) => `-J${name}=${value}`),
    ],
    { reject: false, timeout: options.timeoutMs ?? 120_000, stdin: 'ignore' },
  );
  // JMeter exits 0 even when it could not load the plan: the results file tells.
  if (result.exitCode !== 0 || !existsSync(options.results)) {
    throw new Error(`JMeter failed (exit ${result.exitCode}): ${result.stdout}\n${result.stderr}`);
  }
}
