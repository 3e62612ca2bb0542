// Package store is the persistence of a pair in one SQLite file (DatabaseFileName). Rows are
// kept generically per service and table (Row: ID, Version, Data in the service's JSON form);
// metadata is a *Table per table (Table, Column, Key). For code built on the data plane (the control
// plane, the live-sync runtime):
//
//   - Table/TableBySet/Tables read metadata; PutTable stores a changed Clone.
//   - Get, Scan (id order, from a cursor), Count read rows; Put writes a row (next version, key indexes
//     kept, *KeyConflictError on a duplicate alternate key); Delete removes one.
//   - LookupKey finds a row by an Active alternate key; FinOpsID computes an F&O row id from its key.
//   - Update(ctx, fn) runs fn in one transaction: every Store call made with the ctx fn receives joins
//     it, and an error from fn rolls everything back (this is how change sets are atomic).
//   - Setting/SetSetting keep named values (autonumber seeds live under "autonumber/...").
//   - Changes/LastChange read the change log that Put and Delete keep for change-tracked tables.
//
// Dataverse rows store lookups as "_{column}_value" GUIDs and carry createdon, modifiedon and
// versionnumber; F&O rows store enums as member names and dataAreaId in lowercase.
//
// It must never import the rest of the emulator, the clients in providers/... or cmd/...: every room of
// the emulator is built on it.
//
// Import rule: only none
package store
