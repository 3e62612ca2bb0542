// Package protection enforces the service protection limits of a data service per application user
// over a sliding window: requests, combined execution time and concurrent requests, answered with 429
// and Retry-After in the service's words, with the remaining budget Dataverse reports in headers and
// an admin endpoint (Path) to read or replace the limits at run time.
//
// Import rule: only emulator/store emulator/wire
package protection
