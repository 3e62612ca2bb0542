// Package odata is the OData v4 wire format the Dataverse Web API and F&O OData share (query
// strings, key predicates and literals, collection pages, error bodies, $batch multipart requests and
// responses with change sets) and the client both services' clients are built on (Client: paging,
// $batch, Retry-After), over a providers/transport pipeline (Connect).
//
// It must never import providers/dataverse, providers/finops or the emulator.
//
// Import rule: only providers providers/transport
package odata
