import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { objectName } from '../../src/kubernetes/object.js';
import { parseManifests } from '../../src/kubernetes/read-manifests.js';

/** The shapes users feed `zdd check`: each parses, every object with its line; nothing skipped silently. */
const shape = (name: string) => {
  const file = `shapes/${name}`;
  return parseManifests(file, readFileSync(new URL(`../fixtures/check/${file}`, import.meta.url), 'utf8'));
};
const summary = (name: string) =>
  shape(name).objects.map(
    (object) => `${objectName(object)}@${object.location.line}${object.within ? ` ${object.within}` : ''}`,
  );

/** `${NAME}`, a Template parameter reference as written. */
const param = (name: string) => ['$', '{', name, '}'].join('');

describe('parseManifests', () => {
  test('an OpenShift Template in YAML: parameters with a value are applied, a whole-string JSON reference becomes a number', () => {
    const { objects, problems } = shape('template.yaml');
    expect(problems).toEqual([]);
    expect(summary('template.yaml')).toEqual([
      'DeploymentConfig/tmpl-app@15 objects[0]',
      'Service/tmpl-app@33 objects[1]',
      'Route/tmpl-app@42 objects[2]',
    ]);
    const spec = objects[0]?.value.spec as {
      replicas: unknown;
      template: { spec: { containers: { image: string }[] } };
    };
    expect(spec.replicas).toBe(1);
    // IMAGE has no value: left as written.
    expect(spec.template.spec.containers[0]?.image).toBe(param('IMAGE'));
  });

  test('an OpenShift Template in JSON: names with parameters without a value stay as written', () => {
    expect(summary('template.json')).toEqual([
      `DeploymentConfig/${param('APP_NAME')}@11 objects[0]`,
      `Service/${param('APP_NAME')}@35 objects[1]`,
    ]);
    const dc = shape('template.json').objects[0];
    expect(dc?.apiVersion).toBe('v1');
    const spec = dc?.value.spec as { replicas: unknown } | undefined;
    expect(spec?.replicas).toBe(param('{REPLICAS}'));
  });

  test('kind: List and <Kind>List items, whose kind and apiVersion come from the list', () => {
    const { objects } = shape('list.yaml');
    expect(summary('list.yaml')).toEqual([
      'Deployment/listed-app@8 items[0]',
      'Service/listed-app@30 items[1].items[0]',
    ]);
    expect(objects[1]?.apiVersion).toBe('v1');
  });

  test('multi-document streams: comment-only and empty documents and ... markers are no objects and no notes', () => {
    const parsed = shape('multi-document.yaml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.notes).toEqual([]);
    expect(summary('multi-document.yaml')).toEqual(['Deployment/streamed-app@6', 'ConfigMap/streamed-config@27']);
  });

  test('anchors, aliases and merge keys are resolved', () => {
    const [deployment] = shape('anchors.yaml').objects;
    const template = deployment?.value.spec as {
      template: { metadata: { labels: unknown }; spec: { containers: Record<string, unknown>[] } };
    };
    expect(template.template.metadata.labels).toEqual({ app: 'anchored-app', tier: 'web' });
    expect(template.template.spec.containers[0]?.livenessProbe).toEqual(
      template.template.spec.containers[0]?.readinessProbe,
    );
    // A field under an alias is placed at the alias.
    expect(deployment?.lineOf(['spec', 'template', 'spec', 'containers', 0, 'livenessProbe', 'httpGet'])).toBe(28);
  });

  test("Helm's # Source: comments name each object's template", () => {
    const sources = shape('helm-rendered.yaml').objects.map((object) => `${objectName(object)} ${object.helmSource}`);
    expect(sources).toEqual([
      'Service/release-shop shop/templates/service.yaml',
      'Deployment/release-shop shop/templates/deployment.yaml',
      'Pod/release-shop-test-connection shop/templates/tests/test-connection.yaml',
    ]);
  });

  test('OpenShift 3 group-less v1 DeploymentConfigs and Routes keep their apiVersion', () => {
    expect(shape('openshift3-legacy.yaml').objects.map((object) => `${object.apiVersion} ${object.kind}`)).toEqual([
      'v1 DeploymentConfig',
      'v1 Service',
      'v1 Route',
    ]);
  });

  test('lineOf points at the key of a field, or its closest written ancestor', () => {
    const [dc] = shape('template.yaml').objects;
    expect(dc?.lineOf(['spec', 'replicas'])).toBe(20);
    expect(dc?.lineOf(['spec', 'template', 'spec', 'containers', 0])).toBe(29);
    expect(dc?.lineOf(['spec', 'template', 'spec', 'terminationGracePeriodSeconds'])).toBe(27);
  });

  test('bad YAML: the file and line, and no object from that file', () => {
    const parsed = parseManifests('bad.yaml', 'kind: Service\nmetadata:\n  name: [x\nspec: {}\n');
    expect(parsed.objects).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ file: 'bad.yaml', line: 4 });
    expect(parsed.problems[0]?.message).toMatch(/^not valid YAML: .+; no object of this file was checked$/);
  });

  test('bad JSON: the line of the error', () => {
    const parsed = parseManifests('bad.json', '{\n  "kind": "Service",\n  "metadata": {},,\n}\n');
    expect(parsed.problems[0]).toMatchObject({ file: 'bad.json', line: 3 });
  });

  test('an alias bomb is refused, not expanded', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 0; level < 8; level++) {
      const name = String.fromCharCode(98 + level);
      const previous = String.fromCharCode(97 + level);
      bomb.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const parsed = parseManifests('bomb.yaml', `kind: ConfigMap\n${bomb.join('\n')}\n`);
    expect(parsed.problems[0]?.message).toMatch(/aliases/);
  });

  test('documents that are not objects are noted, not skipped silently', () => {
    const parsed = parseManifests('odd.yaml', '- a\n- b\n---\nfoo: bar\n---\nkind: List\nitems: 3\n');
    expect(parsed.objects).toEqual([]);
    expect(parsed.notes.map((note) => `${note.location?.line} ${note.message}`)).toEqual([
      '1 document 1 is not a Kubernetes object (a list); skipped',
      '4 document 2 has no "kind", so it is not a Kubernetes object; skipped',
      '7 a List whose items are not a list (3); skipped',
    ]);
  });
});
