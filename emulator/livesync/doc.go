// Package livesync is the emulator's live-sync runtime.
//
// Runtime makes running maps behave like the service (dual-write.md §8): a create,
// update, upsert or delete on either data service — single requests and $batch change sets alike —
// is carried to the other side through the map's field mappings, value maps, defaults, company
// striping and the source side's filter, in the same store transaction. When the other side
// refuses the write (a mandatory field, a lookup that does not resolve, a key conflict, a value too
// long) the original write fails with the dual-write message ("Unable to write data to entity …")
// and nothing is kept on either side. Writes made by dual-write itself do not trigger it again.
// Paused maps queue changes in the database and replay them in order on resume, or skip them
// (keeping or discarding the queue) per the resume parameters; the control plane replays and reads the queues.
// Several maps on one table each apply with their own filters. Alert settings with the action
// Pause or Stop pause or stop the running maps once live-sync failures reach their threshold.
// The company plug-in gives a cdm_company row enabled for dual-write a business unit and a
// "CODE DW" owner team as its default owning team.
//
// Import rule: only emulator/copier emulator/finops emulator/store emulator/wire filter mapping
package livesync
