-- Latency sources and their per-second (then per-minute) history: server/spikes/.
CREATE TABLE "LatencySource" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "sessionName" TEXT,
    "definition" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LatencySource_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "LatencySource_sessionName_name_key" ON "LatencySource"("sessionName", "name");

CREATE TABLE "LatencyBucket" (
    "sourceId" INTEGER NOT NULL,
    "resolution" INTEGER NOT NULL,
    "startSec" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "sketch" BYTEA NOT NULL,

    CONSTRAINT "LatencyBucket_pkey" PRIMARY KEY ("sourceId", "resolution", "startSec")
);
ALTER TABLE "LatencyBucket" ADD CONSTRAINT "LatencyBucket_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "LatencySource"("id") ON DELETE CASCADE ON UPDATE CASCADE;
