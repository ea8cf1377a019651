import { describe, expect, test } from 'vitest';
import { hasNativeSleep, parseKubernetesVersion } from '../../src/manifests/kubernetes-version.js';
import { SettingError } from '../../src/runtime/errors.js';

describe('kubernetesVersion', () => {
  test.each([
    ['1.30', true],
    ['v1.30', true],
    ['1.30.2', true],
    ['1.34', true],
    ['2.0', true],
    ['1.29', false],
    ['v1.29.9', false],
    ['1.9', false],
  ])('%s runs the native sleep action: %s', (text, native) => {
    expect(hasNativeSleep(parseKubernetesVersion('kubernetesVersion', text))).toBe(native);
  });

  test('an unknown version is taken to have no native sleep action', () => {
    expect(hasNativeSleep(undefined)).toBe(false);
  });

  test.each(['latest', '1', '1.30.x', '4.17-openshift', ''])('%j is refused naming the field', (text) => {
    expect(() => parseKubernetesVersion('kubernetesVersion', text)).toThrow(SettingError);
    expect(() => parseKubernetesVersion('kubernetesVersion', text)).toThrow(/^kubernetesVersion: must be/);
  });
});
