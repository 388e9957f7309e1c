-- Traced hosts reached over SSH (server/fleet): the key is stored sealed, the host key pinned.
CREATE TABLE "Host" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 22,
    "user" TEXT NOT NULL,
    "keySealed" TEXT NOT NULL,
    "hostKeyFingerprint" TEXT NOT NULL,
    "pinnedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME,
    "lastError" TEXT,
    "lttngVersion" TEXT
);
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");
