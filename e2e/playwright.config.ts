import { defineConfig } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The real server binary, serving the built SPA, on its own port and a throw-away data dir.
const port = Number(process.env.E2E_PORT ?? 18080);
// Made once by the runner; its workers read this file again and must find the same one
// (tests run `teahouse admin …` on it: support.ts `admin`).
const dataDir = process.env.TEAHOUSE_E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "teahouse-e2e-"));
process.env.TEAHOUSE_E2E_DATA_DIR = dataDir;
const bin = process.env.TEAHOUSE_BIN ?? path.resolve(__dirname, "../target/debug/teahouse");
process.env.TEAHOUSE_BIN = bin;
// A real SMTP receiver (aiosmtpd, from scripts/setup.sh) the server mails to; what it
// receives lands in the data dir's `mail/` as JSON (support.ts `nextMail`).
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 18025);
const python = process.env.TEAHOUSE_PYTHON ?? path.join(os.homedir(), ".cache/teahouse/py/bin/python");

export default defineConfig({
  testDir: "tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [{
    command: `${python} ${path.resolve(__dirname, "../backend/tests/mail/smtp_sink.py")} ${path.join(dataDir, "mail")} ${smtpPort} --until-killed`,
    port: smtpPort,
    reuseExistingServer: false,
    timeout: 30_000,
  }, {
    command: `${bin} serve`,
    url: `http://127.0.0.1:${port}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      TEAHOUSE_BIND: `127.0.0.1:${port}`,
      TEAHOUSE_DATA_DIR: dataDir,
      TEAHOUSE_STATIC_DIR: path.resolve(__dirname, "../frontend/dist"),
      TEAHOUSE_LOG: "warn",
      // Someone whose page closed shows as offline after 1.5 s instead of 10.
      TEAHOUSE_PRESENCE_OFFLINE_GRACE_MS: "1500",
      // The whole suite registers its people from one address, more than the 40 a class
      // behind one address may at once; the registration limit has its own API test.
      TEAHOUSE_LIMITS__REGISTRATIONS__BURST: "1000",
      TEAHOUSE_MAIL__SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      TEAHOUSE_MAIL__PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: "",
    },
  }],
});
