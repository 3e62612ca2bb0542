// Package transport is the HTTP pipeline shared by the data-plane clients: TLS that trusts either the
// system roots or exactly one emulator CA, the refusal of plain http:// except to loopback, Entra
// credentials through azidentity, bearer tokens cached by azcore until shortly before they expire,
// retries (429 after Retry-After; 502/503/504 and dropped connections with jittered backoff, only for
// requests that are safe to repeat) through go-retryablehttp, and request logs through go-hclog that
// never contain a token, a secret or a request body.
//
// It knows nothing about OData or about either service. It must never import providers/dataverse,
// providers/finops, the emulator or anything above the providers layer.
//
// Import rule: only none
package transport
