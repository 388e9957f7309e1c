-- Latency sources and their per-second (then per-minute) history: server/spikes/.
CREATE TABLE "LatencySource" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "sessionName" TEXT,
    "definition" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "LatencySource_sessionName_name_key" ON "LatencySource"("sessionName", "name");

CREATE TABLE "LatencyBucket" (
    "sourceId" INTEGER NOT NULL,
    "resolution" INTEGER NOT NULL,
    "startSec" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    "min" REAL NOT NULL,
    "max" REAL NOT NULL,
    "sum" REAL NOT NULL,
    "sketch" BLOB NOT NULL,

    PRIMARY KEY ("sourceId", "resolution", "startSec"),
    CONSTRAINT "LatencyBucket_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "LatencySource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
