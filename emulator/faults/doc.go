// Package faults injects faults into an emulator listener: random answers by HTTP status, dropped
// connections, answers lost after the request was carried out, added latency, all from a seeded
// generator so runs repeat, plus faults queued for the next requests through the admin endpoint
// Path.
//
// Import rule: only emulator/wire
package faults
