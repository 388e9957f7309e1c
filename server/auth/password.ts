import bcrypt from "bcryptjs";

// Cost 12 is about 250 ms here: slow for a guesser, tolerable for one login.
const COST = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
