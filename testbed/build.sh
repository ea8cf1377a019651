#!/usr/bin/env bash
# Builds the test bed's control plane — etcd, kube-apiserver and kube-controller-manager, Kubernetes v1.35.4 —
# from the Go module proxy into OUT (default: testbed/bin), and skips the build when OUT already holds all three
# and kube-apiserver reports the pinned version. Then copies the Gateway API's standard-channel CRDs, which ship
# in the Go module sigs.k8s.io/gateway-api (config/crd/standard/), into OUT/gateway-api/ for the test bed to
# install; skipped when that folder already holds the pinned version's. Last, the k6-operator (the version
# testbed/k6-operator/go.mod requires) into OUT/k6-operator/, with its CRDs (config/crd/bases/ of its module), for
# the tests of `--load k6-operator`; skipped when OUT/k6-operator/VERSION names that version.
#
#   testbed/build.sh [OUT]
#
# Measured on a 2-core machine with Go 1.26.8: ~1 min of module downloads, kube-apiserver ~10 min cold (1.8 GB
# peak RSS), kube-controller-manager ~2 min more, etcd ~16 s; with the Go build cache warm, a few seconds.
# `go install k8s.io/kubernetes/cmd/...@v` is refused (upstream's go.mod replaces its staging modules with local
# paths), hence the wrapper module here: go.mod requires k8s.io/kubernetes and replaces each staging module with
# its published v0.35.4; tools/tools.go keeps the two commands in go.sum; cmd/etcd wraps etcd's embed package.
# The k6-operator has a wrapper module of its own (k6-operator/), so that its dependencies do not move the control
# plane's: ~2.5 min cold on 2 cores, a 48 MB binary.
set -euo pipefail

VERSION=v1.35.4
# The newest Gateway API release whose module this machine's Go accepts (v1.7.0 wants a newer toolchain).
GATEWAY_API_VERSION=v1.6.3
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/bin}"
binaries=(etcd kube-apiserver kube-controller-manager)

up_to_date() {
  local name
  for name in "${binaries[@]}"; do
    [ -x "$out/$name" ] || return 1
  done
  [ "$("$out/kube-apiserver" --version 2>/dev/null)" = "Kubernetes $VERSION" ]
}

gateway_crds_up_to_date() {
  [ "$(cat "$out/gateway-api/VERSION" 2>/dev/null)" = "$GATEWAY_API_VERSION" ]
}

K6_OPERATOR_VERSION="$(sed -n 's|^[[:space:]]*github.com/grafana/k6-operator \(v[^[:space:]]*\).*|\1|p' "$here/k6-operator/go.mod")"
k6_operator_up_to_date() {
  [ -x "$out/k6-operator/k6-operator" ] && [ "$(cat "$out/k6-operator/VERSION" 2>/dev/null)" = "$K6_OPERATOR_VERSION" ]
}

if up_to_date && gateway_crds_up_to_date && k6_operator_up_to_date; then
  echo "testbed: $out already holds etcd, kube-apiserver and kube-controller-manager $VERSION, the Gateway API $GATEWAY_API_VERSION CRDs and the k6-operator $K6_OPERATOR_VERSION"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "testbed/build.sh: 'go' is not on PATH; install Go 1.25 or newer (go.mod says 'go 1.25.0') and run it again" >&2
  exit 2
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"

# The CRDs as the module ships them, unchanged. `go mod download` runs outside the wrapper module so that the
# control plane's dependency versions stay as they are; the checksum is verified as for any module.
gateway_crds() {
  local scratch dir
  scratch="$(mktemp -d)"
  dir="$(cd "$scratch" && go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  rmdir "$scratch"
  if [ -z "$dir" ] || ! [ -d "$dir/config/crd/standard" ]; then
    echo "testbed/build.sh: sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION has no config/crd/standard/" >&2
    exit 1
  fi
  rm -rf "$out/gateway-api"
  mkdir -p "$out/gateway-api"
  cp "$dir"/config/crd/standard/*.yaml "$out/gateway-api/"
  # The module cache is read-only; the copies need not be.
  chmod u+w "$out"/gateway-api/*.yaml
  echo "$GATEWAY_API_VERSION" >"$out/gateway-api/VERSION"
  echo "testbed: copied the Gateway API $GATEWAY_API_VERSION standard CRDs into $out/gateway-api"
}

# The operator's command from its wrapper module, and its CRDs as the module ships them.
k6_operator() {
  local dir
  echo "testbed: building the k6-operator $K6_OPERATOR_VERSION"
  rm -rf "$out/k6-operator"
  mkdir -p "$out/k6-operator/crds"
  (cd "$here/k6-operator" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out/k6-operator/k6-operator" \
    github.com/grafana/k6-operator/cmd)
  dir="$(cd "$here/k6-operator" && go list -m -f '{{.Dir}}' github.com/grafana/k6-operator)"
  cp "$dir"/config/crd/bases/*.yaml "$out/k6-operator/crds/"
  chmod u+w "$out"/k6-operator/crds/*.yaml
  echo "$K6_OPERATOR_VERSION" >"$out/k6-operator/VERSION"
  echo "testbed: built the k6-operator $K6_OPERATOR_VERSION into $out/k6-operator"
}

if ! gateway_crds_up_to_date; then
  gateway_crds
fi
if ! k6_operator_up_to_date; then
  k6_operator
fi
if up_to_date; then
  echo "testbed: $out already holds etcd, kube-apiserver and kube-controller-manager $VERSION"
  exit 0
fi
# Version stamps as Kubernetes' own build sets them: without them `--version` prints v0.0.0 and clients warn.
LD="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LD="$LD -X $pkg.gitVersion=$VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=35"
done
LD="$LD -X k8s.io/component-base/version.gitTreeState=clean"

cd "$here"
build() {
  echo "testbed: building $1"
  # Static binaries: no C toolchain needed, and they run on any Linux of the same architecture.
  CGO_ENABLED=0 go build -trimpath -ldflags "$LD" -o "$out/$1" "$2"
}
build kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver
build kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager
build etcd ./cmd/etcd

if ! up_to_date; then
  echo "testbed/build.sh: built into $out, but '$out/kube-apiserver --version' does not print 'Kubernetes $VERSION'" >&2
  exit 1
fi
echo "testbed: built etcd, kube-apiserver and kube-controller-manager $VERSION into $out"
