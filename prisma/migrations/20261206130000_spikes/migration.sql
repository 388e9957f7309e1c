-- CreateTable
CREATE TABLE "SpikeRule" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "sourceId" INTEGER NOT NULL,
    "detection" TEXT NOT NULL DEFAULT 'live',
    "thresholdKind" TEXT NOT NULL DEFAULT 'absolute',
    "thresholdNs" BIGINT,
    "p99Factor" REAL,
    "p99WindowMin" INTEGER,
    "snapshotSession" TEXT NOT NULL,
    "otherAction" TEXT NOT NULL DEFAULT 'none',
    "otherSession" TEXT,
    "cooldownMs" INTEGER NOT NULL DEFAULT 5000,
    "maxPerHour" INTEGER NOT NULL DEFAULT 60,
    "triggerFilter" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Spike" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ruleId" INTEGER,
    "ruleName" TEXT NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "tsNs" BIGINT NOT NULL,
    "valueNs" BIGINT NOT NULL,
    "thresholdNs" BIGINT NOT NULL,
    "detection" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "suppressed" INTEGER NOT NULL DEFAULT 0,
    "snapshotName" TEXT,
    "archivePath" TEXT,
    "error" TEXT,
    "actionMs" INTEGER,
    "detectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Spike_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "SpikeRule" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "SpikeRule_name_key" ON "SpikeRule"("name");

-- CreateIndex
CREATE INDEX "Spike_tsNs_idx" ON "Spike"("tsNs");

-- CreateIndex
CREATE INDEX "Spike_ruleId_tsNs_idx" ON "Spike"("ruleId", "tsNs");
