-- Traced hosts reached over SSH (server/fleet): the key is stored sealed, the host key pinned.
CREATE TABLE "Host" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 22,
    "user" TEXT NOT NULL,
    "keySealed" TEXT NOT NULL,
    "hostKeyFingerprint" TEXT NOT NULL,
    "pinnedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lttngVersion" TEXT,
    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");
