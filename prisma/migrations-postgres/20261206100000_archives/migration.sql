-- CreateTable
CREATE TABLE "Archive" (
    "id" SERIAL NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "indexedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "state" TEXT NOT NULL,
    "error" TEXT,
    "fingerprint" TEXT NOT NULL DEFAULT '',
    "reportState" TEXT NOT NULL DEFAULT 'none',
    "reportError" TEXT,

    CONSTRAINT "Archive_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArchiveReport" (
    "archiveId" INTEGER NOT NULL,
    "lami" TEXT NOT NULL,
    "elapsedMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArchiveReport_pkey" PRIMARY KEY ("archiveId")
);

-- CreateTable
CREATE TABLE "RetentionPolicy" (
    "session" TEXT NOT NULL,
    "keepLast" INTEGER,
    "maxBytes" BIGINT,
    "maxAgeHours" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RetentionPolicy_pkey" PRIMARY KEY ("session")
);

-- CreateIndex
CREATE UNIQUE INDEX "Archive_path_key" ON "Archive"("path");

-- CreateIndex
CREATE INDEX "Archive_session_createdAt_idx" ON "Archive"("session", "createdAt");

-- CreateIndex
CREATE INDEX "Archive_createdAt_idx" ON "Archive"("createdAt");

-- CreateIndex
CREATE INDEX "Archive_state_idx" ON "Archive"("state");

-- AddForeignKey
ALTER TABLE "ArchiveReport" ADD CONSTRAINT "ArchiveReport_archiveId_fkey" FOREIGN KEY ("archiveId") REFERENCES "Archive"("id") ON DELETE CASCADE ON UPDATE CASCADE;
