import { expect, test } from 'vitest';
import { KeyedQueue } from '../../src/testbed/keyed-queue.js';
import { sleep, until } from '../helpers/wait.js';

test('adds during a run fold into one more run; keys run independently; a failed run is retried', async () => {
  const runs: string[] = [];
  const errors: string[] = [];
  let failOnce = true;
  const queue = new KeyedQueue(
    async (key) => {
      runs.push(key);
      await sleep(30);
      if (key === 'b' && failOnce) {
        failOnce = false;
        throw new Error('conflict');
      }
    },
    (error, key) => errors.push(`${key}: ${(error as Error).message}`),
    50,
  );
  queue.add('a');
  queue.add('a');
  queue.add('a');
  queue.add('b');
  await until(() => runs.length >= 4, 2000);
  await sleep(100);
  queue.stop();
  expect(runs.filter((key) => key === 'a')).toHaveLength(2);
  expect(runs.filter((key) => key === 'b')).toHaveLength(2);
  expect(errors).toEqual(['b: conflict']);
});
