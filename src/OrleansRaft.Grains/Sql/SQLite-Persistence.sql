-- OrleansRaft: Orleans 10.4.2 ADO.NET grain persistence on SQLite (Microsoft.Data.Sqlite).
-- ADO.NET invariant: "System.Data.SQLite" (Orleans maps it to Microsoft.Data.Sqlite.SqliteFactory).
--
-- Idempotent: safe to run on every start. Tables, indexes and triggers use IF NOT EXISTS; the query rows
-- use INSERT OR REPLACE, so re-running also upgrades query texts to the versions in this file.
-- The whole file can be executed as ONE SqliteCommand (Microsoft.Data.Sqlite runs statement after
-- statement); do not wrap it in a transaction together with PRAGMA journal_mode=WAL.
--
-- Contract with AdoNetGrainStorage 10.4.2 (see README.md next to this file):
--   parameters : @GrainIdHash @GrainIdN0 @GrainIdN1 @GrainTypeHash @GrainTypeString
--                @GrainIdExtensionString @ServiceId @GrainStateVersion (int or NULL) @PayloadBinary
--   ReadFromStorageKey  returns columns PayloadBinary, Version (0 or 1 row)
--   WriteToStorageKey   returns column NewGrainStateVersion: exactly one row on success, NO row on an
--                       ETag conflict (Orleans turns "no row" into InconsistentStateException, also
--                       when the state was never read and a row already exists)
--   ClearStorageKey     returns the new version in column 0, no row on conflict
--   DeleteStorageKey    (only used with DeleteStateOnClear=true) returns a value different from the
--                       old version, no row on conflict
-- Versions are INTEGERs that wrap from 2147483647 to 1 instead of overflowing Orleans' Int32 ETag.

-- Shared by every Orleans ADO.NET provider.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

-- One row per (ServiceId, state name, grain id). Orleans passes the state name (IPersistentState
-- name, or the first argument of IGrainStorage.ReadStateAsync/WriteStateAsync) as GrainTypeString,
-- so different state names of one grain are different rows. The grain class is not part of the key.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL, -- Orleans' 32-bit hash of the grain id bytes
    GrainIdN0              INTEGER NOT NULL, -- 64-bit halves of a Guid/integer key (0 for string keys)
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL, -- hash of GrainTypeString
    GrainTypeString        TEXT    NOT NULL, -- the state name
    GrainIdExtensionString TEXT    NULL,     -- string key, or the key extension
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,     -- NULL after ClearState (the version still counts on)
    ModifiedOn             TEXT    NOT NULL, -- informational, UTC 'YYYY-MM-DD HH:MM:SS.SSS'
    Version                INTEGER NULL      -- the ETag
);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage ON OrleansStorage (GrainIdHash, GrainTypeHash);

-- One row per key, enforced: the first write of a row (no ETag yet) inserts with ON CONFLICT DO NOTHING, so an
-- existing row makes it return no row, without the INSERT reading its own table. (A NOT EXISTS subquery on
-- OrleansStorage inside the INSERT cost ~0.6 ms of CPU on every write, inserts or not: SQLite evaluates it up
-- front.) NULL and '' extensions stay distinct keys.
CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Key ON OrleansStorage
    (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, ServiceId,
     GrainIdExtensionString IS NULL, IFNULL(GrainIdExtensionString, ''));

-- Both statements run; exactly one can change a row: the UPDATE when the caller holds an ETag, the
-- INSERT when it does not and no row exists yet (UX_OrleansStorage_Key turns an existing row into no row). Each is a single atomic SQLite statement that holds
-- the write lock from its first step, so the version check cannot race another process.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', '
    UPDATE OrleansStorage
    SET
        PayloadBinary = @PayloadBinary,
        ModifiedOn = strftime(''%Y-%m-%d %H:%M:%f'', ''now''),
        Version = CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END
    WHERE
        @GrainStateVersion IS NOT NULL
        AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND (GrainIdExtensionString = @GrainIdExtensionString
             OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
        AND ServiceId = @ServiceId
        AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;

    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
         ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString,
        @ServiceId, @PayloadBinary, strftime(''%Y-%m-%d %H:%M:%f'', ''now''), 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version AS NewGrainStateVersion;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
    SELECT
        PayloadBinary,
        Version
    FROM OrleansStorage
    WHERE
        GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND (GrainIdExtensionString = @GrainIdExtensionString
             OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
        AND ServiceId = @ServiceId
    LIMIT 1;
');

-- Keeps the row and its version; only the payload goes (Orleans' default, DeleteStateOnClear=false).
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('ClearStorageKey', '
    UPDATE OrleansStorage
    SET
        PayloadBinary = NULL,
        ModifiedOn = strftime(''%Y-%m-%d %H:%M:%f'', ''now''),
        Version = CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END
    WHERE
        @GrainStateVersion IS NOT NULL
        AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND (GrainIdExtensionString = @GrainIdExtensionString
             OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
        AND ServiceId = @ServiceId
        AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;
');

-- Used instead of ClearStorageKey when AdoNetGrainStorageOptions.DeleteStateOnClear = true (then
-- Orleans resets the ETag to null and the next write inserts a fresh row with version 1).
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE
        @GrainStateVersion IS NOT NULL
        AND GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND (GrainIdExtensionString = @GrainIdExtensionString
             OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
        AND ServiceId = @ServiceId
        AND Version = @GrainStateVersion
    RETURNING CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END AS NewGrainStateVersion;
');
