-- OrleansRaft: Orleans 10.4.2 ADO.NET grain persistence on PostgreSQL (Npgsql). Invariant: "Npgsql".
--
-- Idempotent: safe to run on every start, also against a database that already holds the official
-- Orleans PostgreSQL persistence schema (the extra payloadjson/payloadxml columns of that schema are
-- simply left unused). Tables and indexes use IF NOT EXISTS, the function uses CREATE OR REPLACE, and
-- the query rows are upserted so re-running installs the query texts of this file.
-- Run it with psql (it contains a dollar-quoted function body), or as one Npgsql command.
--
-- Differences from the official script, all driven by the 10.4.2 provider code:
--   * Orleans 10.4.2 binds only @PayloadBinary (no @PayloadJson / @PayloadXml); the official queries
--     reference those parameters and therefore fail with 10.4.2.
--   * The insert path takes a transaction-scoped advisory lock on (GrainIdHash, GrainTypeHash), so two
--     activations inserting the same never-written state at once cannot both succeed (the official
--     INSERT ... WHERE NOT EXISTS can create duplicate rows under READ COMMITTED).
--   * Versions wrap from 2147483647 to 1 instead of overflowing Orleans' Int32 ETag.
--   * DeleteStorageKey is provided (used when AdoNetGrainStorageOptions.DeleteStateOnClear = true).

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    grainidhash            integer                NOT NULL,
    grainidn0              bigint                 NOT NULL,
    grainidn1              bigint                 NOT NULL,
    graintypehash          integer                NOT NULL,
    graintypestring        character varying(512) NOT NULL, -- the state name
    grainidextensionstring character varying(512),
    serviceid              character varying(150) NOT NULL,
    payloadbinary          bytea,
    modifiedon             timestamptz            NOT NULL,
    version                integer
);

CREATE INDEX IF NOT EXISTS ix_orleansstorage
    ON OrleansStorage USING btree (grainidhash, graintypehash);

-- Returns one row: the new version on success; on a conflict the version the caller sent (or NULL
-- when it sent none), which Orleans turns into InconsistentStateException.
CREATE OR REPLACE FUNCTION writetostorage(
    _grainidhash integer,
    _grainidn0 bigint,
    _grainidn1 bigint,
    _graintypehash integer,
    _graintypestring character varying,
    _grainidextensionstring character varying,
    _serviceid character varying,
    _grainstateversion integer,
    _payloadbinary bytea)
    RETURNS TABLE(newgrainstateversion integer)
    LANGUAGE plpgsql
AS $function$
DECLARE
    _newversion integer := _grainstateversion;
    _rows integer := 0;
BEGIN
    IF _grainstateversion IS NOT NULL THEN
        -- The caller read the state before: optimistic update on the version it holds.
        UPDATE OrleansStorage
        SET
            payloadbinary = _payloadbinary,
            modifiedon = now(),
            version = CASE WHEN version >= 2147483647 THEN 1 ELSE version + 1 END
        WHERE
            grainidhash = _grainidhash AND graintypehash = _graintypehash
            AND grainidn0 = _grainidn0 AND grainidn1 = _grainidn1
            AND graintypestring = _graintypestring
            AND ((_grainidextensionstring IS NOT NULL AND grainidextensionstring = _grainidextensionstring)
                 OR (_grainidextensionstring IS NULL AND grainidextensionstring IS NULL))
            AND serviceid = _serviceid
            AND version = _grainstateversion
        RETURNING version INTO _newversion;

        GET DIAGNOSTICS _rows = ROW_COUNT;
        IF _rows = 0 THEN
            _newversion := _grainstateversion;
        END IF;
    ELSE
        -- First write: serialize concurrent first writes of the same state, then insert if absent.
        PERFORM pg_advisory_xact_lock(_grainidhash, _graintypehash);

        INSERT INTO OrleansStorage
            (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring,
             serviceid, payloadbinary, modifiedon, version)
        SELECT
            _grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring, _grainidextensionstring,
            _serviceid, _payloadbinary, now(), 1
        WHERE NOT EXISTS
        (
            SELECT 1 FROM OrleansStorage
            WHERE
                grainidhash = _grainidhash AND graintypehash = _graintypehash
                AND grainidn0 = _grainidn0 AND grainidn1 = _grainidn1
                AND graintypestring = _graintypestring
                AND ((_grainidextensionstring IS NOT NULL AND grainidextensionstring = _grainidextensionstring)
                     OR (_grainidextensionstring IS NULL AND grainidextensionstring IS NULL))
                AND serviceid = _serviceid
        );

        GET DIAGNOSTICS _rows = ROW_COUNT;
        IF _rows > 0 THEN
            _newversion := 1;
        END IF;
    END IF;

    RETURN QUERY SELECT _newversion;
END
$function$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', '
    SELECT newgrainstateversion AS NewGrainStateVersion
    FROM writetostorage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
    SELECT
        PayloadBinary,
        Version
    FROM OrleansStorage
    WHERE
        GrainIdHash = @GrainIdHash
        AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
        AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
        AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
        AND GrainTypeString = @GrainTypeString AND GrainTypeString IS NOT NULL
        AND ((@GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString = @GrainIdExtensionString)
             OR (@GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL))
        AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
    LIMIT 1;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ClearStorageKey', '
    UPDATE OrleansStorage
    SET
        PayloadBinary = NULL,
        ModifiedOn = now(),
        Version = CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END
    WHERE
        GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
        AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
        AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
        AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
        AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
        AND ((@GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString = @GrainIdExtensionString)
             OR (@GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL))
        AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
        AND Version IS NOT NULL AND Version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING Version AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE
        GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
        AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
        AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
        AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
        AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
        AND ((@GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString = @GrainIdExtensionString)
             OR (@GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL))
        AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
        AND Version IS NOT NULL AND Version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
