// Package odata is the OData v4 wire format the Dataverse Web API and F&O OData share: query strings,
// key predicates and literals, collection pages, error bodies, and $batch multipart requests and
// responses with change sets. It is pure: no I/O, no credentials.
//
// It must never import providers/dataverse, providers/finops, providers/transport or the emulator.
package odata
