-- A disabled user can no longer log in, and its login sessions are ended; its audit entries stay.
ALTER TABLE "User" ADD COLUMN "disabledAt" DATETIME;
