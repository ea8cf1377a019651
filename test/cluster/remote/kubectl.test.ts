import { describe, expect, test } from 'vitest';
import { commands } from '../../../src/cluster/remote/commands.js';
import { clusterError, describe as describeCommand } from '../../../src/cluster/remote/kubectl.js';
import { SetupError, ToolError } from '../../../src/errors.js';

const cli = { name: 'kubectl' as const, access: { namespace: 'demo', context: 'prod' } };

describe('the commands zdd runs, as a person would type them', () => {
  test('global flags, quoting', () => {
    expect(describeCommand(cli, commands.pods('app.kubernetes.io/name in (a,b)'))).toBe(
      "kubectl --context prod --namespace demo get pods --selector 'app.kubernetes.io/name in (a,b)' --output json",
    );
  });
});

describe('what a refusal of the cluster means, in words', () => {
  test.each([
    [
      'Error from server (Forbidden): deployments.apps is forbidden: User "restricted" cannot create resource "deployments" in API group "apps" in the namespace "demo"',
      SetupError,
      /forbids this user to create deployments\.apps in namespace demo/,
    ],
    [
      'error: You must be logged in to the server (Unauthorized)',
      SetupError,
      /does not accept the credentials of context prod: log in/,
    ],
    ['error: current-context is not set', SetupError, /no usable kubeconfig context/],
    [
      'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?',
      SetupError,
      /the cluster does not answer/,
    ],
    [
      'error: the server doesn\'t have a resource type "routes"',
      SetupError,
      /no routes API: Routes are OpenShift’s; on plain Kubernetes use --expose ingress/,
    ],
    ['Error from server (NotFound): namespaces "demo" not found', SetupError, /namespace demo does not exist/],
    ['something else entirely', ToolError, /exited with code 1: something else entirely/],
  ])('%s', (output, type, message) => {
    const error = clusterError(cli, commands.apply([], ''), output, false, 1);
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(message);
  });
});
