/** Which load generator puts the load on the routes (`--load`). Import-free: the CLI's flags read it. */
export type LoadKind = 'k6' | 'builtin' | 'auto' | 'k6-operator';
export const LOAD_KINDS: readonly LoadKind[] = ['auto', 'k6', 'builtin', 'k6-operator'];
