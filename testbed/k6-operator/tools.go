//go:build tools

// Package tools pins the k6-operator module for testbed/build.sh, which builds its command
// (github.com/grafana/k6-operator/cmd) from this module: `go install …/cmd@v1.5.0` is refused here
// (the module proxy does not list the module's versions), a module that requires it works. To change the
// version: `go get github.com/grafana/k6-operator/cmd@vX.Y.Z` here (not `go mod tidy`, which drops the go.sum
// entries of the command's own imports, since this file imports only the API package).
package tools

import _ "github.com/grafana/k6-operator/api/v1alpha1"
