-- OrleansRaft: Orleans 10.4.2 ADO.NET clustering (silo membership table + client gateway list) on
-- SQLite (Microsoft.Data.Sqlite). ADO.NET invariant: "System.Data.SQLite".
--
-- Idempotent: safe to run on every start (IF NOT EXISTS everywhere, INSERT OR REPLACE for queries).
-- The whole file can be executed as ONE SqliteCommand. Silos AND clients load every query below:
-- Orleans 10.4.2 refuses to start when one of the nine required keys is missing.
--
-- Required keys (AdoNetClusteringTable / AdoNetGatewayListProvider 10.4.2):
--   InsertMembershipVersionKey, InsertMembershipKey, UpdateMembershipKey, UpdateIAmAlivetimeKey,
--   MembershipReadRowKey, MembershipReadAllKey, GatewaysQueryKey, DeleteMembershipTableEntriesKey,
--   CleanupDefunctSiloEntriesKey
-- Optional key used when present: CleanupDefunctSiloEntryKey (prunes one Dead row at a time).
--
-- Parameters Orleans binds: @DeploymentId (= ClusterId) @Address (text) @Port @Generation @SiloName
-- @HostName @Status (int SiloStatus) @ProxyPort @SuspectTimes (text or NULL) @StartTime @IAmAliveTime
-- (DateTime, bound by Microsoft.Data.Sqlite as TEXT 'yyyy-MM-dd HH:mm:ss.FFFFFFF', UTC) @Version (int).
-- Time columns are declared TEXT so they keep that format and compare correctly as text.
--
-- Atomicity: Insert/UpdateMembership must change the silo row AND bump the table version only if the
-- caller's @Version is still current. SQLite has no stored procedures, so each of them is a single
-- statement guarded by the version (EXISTS ... Version = @Version) and the version bump is done by the
-- triggers below inside that same statement. SELECT changes() then reports 1 (success) or 0.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

-- One row per cluster (DeploymentId = ClusterOptions.ClusterId); Version is the membership table ETag.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId TEXT    NOT NULL,
    Timestamp    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    Version      INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port, generation).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId TEXT    NOT NULL,
    Address      TEXT    NOT NULL,
    Port         INTEGER NOT NULL,
    Generation   INTEGER NOT NULL,
    SiloName     TEXT    NOT NULL,
    HostName     TEXT    NOT NULL,
    Status       INTEGER NOT NULL,
    ProxyPort    INTEGER NULL,
    SuspectTimes TEXT    NULL,
    StartTime    TEXT    NOT NULL,
    IAmAliveTime TEXT    NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- Version bumps. They fire only for inserts and for updates that set Status or SuspectTimes (i.e. the
-- InsertMembershipKey / UpdateMembershipKey statements), never for the I-am-alive heartbeat.
CREATE TRIGGER IF NOT EXISTS TR_OrleansMembershipTable_Insert_BumpVersion
AFTER INSERT ON OrleansMembershipTable
BEGIN
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = strftime('%Y-%m-%d %H:%M:%f', 'now')
    WHERE DeploymentId = NEW.DeploymentId;
END;

CREATE TRIGGER IF NOT EXISTS TR_OrleansMembershipTable_Update_BumpVersion
AFTER UPDATE OF Status, SuspectTimes ON OrleansMembershipTable
BEGIN
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = strftime('%Y-%m-%d %H:%M:%f', 'now')
    WHERE DeploymentId = NEW.DeploymentId;
END;

-- Must always return one row with one column (true when this call created the version row).
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING;

    SELECT changes() AS RowCountVar;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipKey', '
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    WHERE EXISTS
    (
        SELECT 1 FROM OrleansMembershipVersionTable
        WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
            AND Version = @Version AND @Version IS NOT NULL AND Version < 2147483647
    )
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;

    SELECT changes() AS RowCountVar;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateMembershipKey', '
    UPDATE OrleansMembershipTable
    SET
        Status = @Status,
        SuspectTimes = @SuspectTimes,
        IAmAliveTime = MAX(IAmAliveTime, @IAmAliveTime)
    WHERE
        DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
        AND Address = @Address AND @Address IS NOT NULL
        AND Port = @Port AND @Port IS NOT NULL
        AND Generation = @Generation AND @Generation IS NOT NULL
        AND EXISTS
        (
            SELECT 1 FROM OrleansMembershipVersionTable
            WHERE DeploymentId = @DeploymentId
                AND Version = @Version AND @Version IS NOT NULL AND Version < 2147483647
        );

    SELECT changes() AS RowCountVar;
');

-- Heartbeat; never fails, never bumps the version, never moves the time backwards.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpdateIAmAlivetimeKey', '
    UPDATE OrleansMembershipTable
    SET IAmAliveTime = MAX(IAmAliveTime, @IAmAliveTime)
    WHERE
        DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
        AND Address = @Address AND @Address IS NOT NULL
        AND Port = @Port AND @Port IS NOT NULL
        AND Generation = @Generation AND @Generation IS NOT NULL;
');

-- The LEFT JOIN returns the version row even when no silo row matches (Orleans needs the version).
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('MembershipReadRowKey', '
    SELECT
        v.DeploymentId,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime,
        v.Version
    FROM OrleansMembershipVersionTable v
    LEFT OUTER JOIN OrleansMembershipTable m
        ON v.DeploymentId = m.DeploymentId
        AND m.Address = @Address AND @Address IS NOT NULL
        AND m.Port = @Port AND @Port IS NOT NULL
        AND m.Generation = @Generation AND @Generation IS NOT NULL
    WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('MembershipReadAllKey', '
    SELECT
        v.DeploymentId,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime,
        v.Version
    FROM OrleansMembershipVersionTable v
    LEFT OUTER JOIN OrleansMembershipTable m
        ON v.DeploymentId = m.DeploymentId
    WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteMembershipTableEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;

    DELETE FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
');

-- Client side: the gateway list (Status = 3 = Active, bound by Orleans).
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('GatewaysQueryKey', '
    SELECT
        Address,
        ProxyPort,
        Generation
    FROM OrleansMembershipTable
    WHERE
        DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
        AND Status = @Status AND @Status IS NOT NULL
        AND ProxyPort > 0;
');

-- Defunct-silo cleanup (ClusterMembershipOptions.DefunctSiloCleanupPeriod / DefunctSiloExpiration).
-- Only Dead (6) rows with no pending suspicion, older than the cutoff, are removed.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE
        DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
        AND IAmAliveTime < @IAmAliveTime
        AND StartTime < @IAmAliveTime
        AND COALESCE(SuspectTimes, '''') = ''''
        AND Status = 6;
');

-- When present, Orleans 10.4.2 reads the table, picks expired Dead rows itself and deletes each one
-- only if it is still exactly the row it saw.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES
('CleanupDefunctSiloEntryKey', '
    DELETE FROM OrleansMembershipTable
    WHERE
        DeploymentId = @DeploymentId AND Status = 6
        AND Address = @Address AND Port = @Port AND Generation = @Generation
        AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
        AND COALESCE(SuspectTimes, '''') = COALESCE(@SuspectTimes, '''');
');
