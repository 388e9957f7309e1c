-- CreateTable
CREATE TABLE "Archive" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "path" TEXT NOT NULL,
    "root" TEXT NOT NULL,
    "session" TEXT NOT NULL,
    "host" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL,
    "cause" TEXT NOT NULL DEFAULT 'unknown',
    "domains" TEXT NOT NULL DEFAULT '',
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "fileCount" INTEGER NOT NULL DEFAULT 0,
    "firstEventNs" BIGINT,
    "lastEventNs" BIGINT,
    "events" BIGINT,
    "discarded" BIGINT,
    "lostPackets" BIGINT,
    "createdAt" DATETIME NOT NULL,
    "indexedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "state" TEXT NOT NULL,
    "error" TEXT,
    "fingerprint" TEXT NOT NULL DEFAULT '',
    "reportState" TEXT NOT NULL DEFAULT 'none',
    "reportError" TEXT
);

-- CreateTable
CREATE TABLE "ArchiveReport" (
    "archiveId" INTEGER NOT NULL PRIMARY KEY,
    "lami" TEXT NOT NULL,
    "elapsedMs" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ArchiveReport_archiveId_fkey" FOREIGN KEY ("archiveId") REFERENCES "Archive" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RetentionPolicy" (
    "session" TEXT NOT NULL PRIMARY KEY,
    "keepLast" INTEGER,
    "maxBytes" BIGINT,
    "maxAgeHours" INTEGER,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Archive_path_key" ON "Archive"("path");

-- CreateIndex
CREATE INDEX "Archive_session_createdAt_idx" ON "Archive"("session", "createdAt");

-- CreateIndex
CREATE INDEX "Archive_createdAt_idx" ON "Archive"("createdAt");

-- CreateIndex
CREATE INDEX "Archive_state_idx" ON "Archive"("state");
