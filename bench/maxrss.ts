/**
 * Preload for benches that time a CLI run in a child process (`node --import tsx --import ./bench/maxrss.ts ...`):
 * at exit, writes the process's peak resident set size in bytes (process.resourceUsage().maxRSS is in KiB) to the
 * file named by LSGD_MAXRSS_FILE.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.LSGD_MAXRSS_FILE;
if (file !== undefined) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
