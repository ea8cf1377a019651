import type { DiffReport } from './diff-report.js';

/** `3 settings differ in 1 object; 1 object added; 3 objects renamed`: the report in one line. */
export function diffSummary(report: DiffReport): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const changed = report.objects.filter((object) => object.fields.length > 0);
  const settings = changed.reduce((sum, object) => sum + object.fields.length, 0);
  const added = report.objects.filter((object) => object.status === 'added').length;
  const removed = report.objects.filter((object) => object.status === 'removed').length;
  const renamed = report.objects.filter((object) => object.renamed.length > 0).length;
  const parts = [
    ...(settings > 0
      ? [`${count(settings, 'field')} differ${settings === 1 ? 's' : ''} in ${count(changed.length, 'object')}`]
      : []),
    ...(added > 0 ? [`${count(added, 'object')} added`] : []),
    ...(removed > 0 ? [`${count(removed, 'object')} removed`] : []),
    ...(renamed > 0 ? [`${count(renamed, 'object')} renamed`] : []),
  ];
  return parts.length === 0 ? 'no differences' : parts.join('; ');
}
