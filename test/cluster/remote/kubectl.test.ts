import { describe, expect, test } from 'vitest';
import { commands } from '../../../src/cluster/remote/commands.js';
import { clusterError, describe as describeCommand } from '../../../src/cluster/remote/kubectl.js';
import { SetupError, ToolError } from '../../../src/runtime/errors.js';

const cli = {
  name: 'kubectl' as const,
  access: { namespace: 'demo', context: 'prod', server: 'https://127.0.0.1:1' },
};

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
      /does not accept the credentials of context prod .*: renew the credentials of the context's user in the kubeconfig, or pass --kubeconfig$/,
    ],
    ['error: current-context is not set', SetupError, /no usable kubeconfig context/],
    [
      'The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?',
      SetupError,
      /the API server https:\/\/127\.0\.0\.1:1 refuses connections/,
    ],
    [
      'Unable to connect to the server: dial tcp: lookup api.nosuch.example on 10.0.0.53:53: no such host',
      SetupError,
      /the API server's host api\.nosuch\.example does not resolve \(DNS: no such host\)/,
    ],
    [
      'Unable to connect to the server: net/http: TLS handshake timeout',
      SetupError,
      /the API server https:\/\/127\.0\.0\.1:1 does not answer \(net\/http: TLS handshake timeout\)/,
    ],
    [
      'error: the server doesn\'t have a resource type "routes"',
      SetupError,
      /no routes API: Routes are OpenShift’s; on plain Kubernetes use --expose ingress/,
    ],
    [
      'error: the server doesn\'t have a resource type "httproutes"',
      SetupError,
      /no httproutes API: HTTPRoutes need the Gateway API CRDs \(sigs\.k8s\.io\/gateway-api, standard channel\) and a Gateway controller/,
    ],
    [
      'Error from server (NotFound): namespaces "demo" not found',
      SetupError,
      /^namespace demo does not exist: create it \(`kubectl --context prod --namespace demo create namespace demo`\)$/,
    ],
    ['something else entirely', ToolError, /exited with code 1: something else entirely/],
  ])('%s', (output, type, message) => {
    const error = clusterError(cli, commands.create('m.yaml'), output, false, 1);
    expect(error).toBeInstanceOf(type);
    expect(error.message).toMatch(message);
  });

  test('hints name only the flags not given, and the CLI that runs', () => {
    const fromContext = { ...cli.access, namespaceFrom: 'context' as const };
    const missing = clusterError(
      { name: 'oc', access: fromContext },
      commands.create('m.yaml'),
      'Error from server (NotFound): namespaces "demo" not found',
    );
    expect(missing.message).toBe(
      "namespace demo (the context's namespace) does not exist: create it (`oc --context prod --namespace demo new-project demo`), or pass --namespace",
    );
    const refused = clusterError(
      { name: 'kubectl', access: { namespace: 'demo' } },
      commands.create('m.yaml'),
      'error: You must be logged in to the server (Unauthorized)',
    );
    expect(refused.message).toMatch(/, or pass --kubeconfig or --context$/);
  });
});
