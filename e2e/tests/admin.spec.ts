import { expect, test } from "@playwright/test";
import { admin, api, loggedInPage, snap, token } from "./support";

// The admin console: a member reports a message, a moderator handles it from the queue
// (reads the conversation, silences the author and removes the message), and the reporter
// is told; then every section of the console, on a desktop and a phone, in both languages
// and both themes.

test("a report is handled from the queue and the reporter is told", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  // An admin besides Li, who may be the server's first account (its admin) when this file
  // runs alone: Li is to be a moderator.
  admin("create-user", `aroot_${suffix}`, `aroot_${suffix}@example.com`, "--admin");
  const li = await loggedInPage(browser, request, `ali_${suffix}`);
  await li.setViewportSize({ width: 1366, height: 800 });
  const han = await loggedInPage(browser, request, `ahan_${suffix}`);
  const zhang = await loggedInPage(browser, request, `azhang_${suffix}`);
  admin("set-role", `ali_${suffix}`, "moderator");
  const liToken = await token(li);
  const room = await api(request, liToken, "post", "/rooms", { name: "Reading circle", visibility: "public" });
  for (const p of [han, zhang]) {
    await api(request, await token(p), "post", "/rooms/join", { number: room.number });
  }
  await api(request, await token(zhang), "post", `/posts/${room.default_post_id}/messages`, {
    client_id: crypto.randomUUID(), body: "you are all fools",
  });

  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  const rude = han.getByRole("log").locator(".message", { hasText: "you are all fools" });
  await rude.hover();
  await rude.getByRole("button", { name: "Report" }).click();
  const dialog = han.getByRole("dialog", { name: "Report this message" });
  await dialog.getByLabel("Harassment or insults").check();
  await dialog.getByLabel("Anything moderators should know (optional)").fill("insults the whole room");
  await snap(han, "01-report-dialog");
  await dialog.getByRole("button", { name: "Send report" }).click();
  await expect(dialog.getByText("Thank you.")).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();

  await li.goto("/admin/reports");
  // Found by the note, which stays when the message is removed.
  const report = li.locator(".report", { hasText: "insults the whole room" });
  await expect(report).toContainText("you are all fools");
  await expect(report).toContainText("Harassment or insults");
  await report.getByRole("button", { name: "Show the conversation" }).click();
  await expect(report.locator(".context .reported-line")).toContainText("you are all fools");
  await snap(li, "02-queue");
  await report.getByRole("button", { name: "Silence author" }).click();
  await expect(report.locator(".tag", { hasText: "Silenced" })).toBeVisible();
  await expect(report).toContainText("(message removed)");

  // The reporter hears it; the room sees the message removed.
  await expect(han.getByRole("status").filter({ hasText: "A moderator silenced the author" })).toBeVisible();
  await expect(han.getByRole("log").locator(".notice-line.recalled")).toBeVisible();
  await snap(han, "03-reporter-told");
  // The author is silenced in the room.
  await zhang.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await expect(zhang.locator(".composer")).toContainText(/silenced/i);
  await li.getByRole("button", { name: "Closed" }).click();
  await expect(li.locator(".report", { hasText: "insults the whole room" })).toBeVisible();
});

test("every section of the console, on a desktop and a phone, in both languages", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const boss = await loggedInPage(browser, request, `aboss_${suffix}`);
  const member = await loggedInPage(browser, request, `amember_${suffix}`);
  admin("set-role", `aboss_${suffix}`, "admin");
  await boss.setViewportSize({ width: 1366, height: 800 });
  const bossToken = await token(boss);
  await api(request, bossToken, "post", "/rooms", { name: `Console room ${suffix}`, visibility: "public" });

  // Members do not see the console.
  await expect(member.getByRole("link", { name: "Admin" })).toHaveCount(0);
  await member.goto("/admin");
  await expect(member.getByText("Only site moderators and administrators can open this.")).toBeVisible();

  await boss.reload();
  await boss.getByRole("link", { name: "Admin" }).click();
  await expect(boss.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(boss.locator(".stat", { hasText: "People" })).toBeVisible();
  await expect(boss.locator(".bar-slot")).toHaveCount(14);
  await snap(boss, "10-dashboard");

  await boss.getByRole("link", { name: "People" }).click();
  await boss.getByRole("searchbox").fill(`amember_${suffix}`);
  await boss.getByRole("button", { name: "Search" }).click();
  await boss.getByRole("button", { name: `amember_${suffix}` }).click();
  const person = boss.getByRole("dialog");
  await expect(person).toContainText(`amember_${suffix}@example.com`);
  await expect(person.getByRole("heading", { name: "Signed-in devices" })).toBeVisible();
  await snap(boss, "11-person");
  await person.getByRole("button", { name: "Log out everywhere" }).click();
  await expect(person.getByRole("status")).toHaveText("Done.");
  await expect(member.getByRole("heading", { name: "Log in" })).toBeVisible();
  await person.getByRole("button", { name: "Close" }).click();

  await boss.getByRole("link", { name: "Rooms" }).click();
  await boss.getByRole("searchbox").fill(`Console room ${suffix}`);
  await boss.getByRole("button", { name: "Search" }).click();
  await boss.getByRole("button", { name: `Console room ${suffix}` }).click();
  const roomDialog = boss.getByRole("dialog");
  await roomDialog.getByLabel("Slow mode").selectOption("30");
  await expect(roomDialog.getByRole("status")).toHaveText("Done.");
  await snap(boss, "12-room");
  await roomDialog.getByRole("button", { name: "Close" }).click();

  await boss.getByRole("link", { name: "Server settings" }).click();
  await expect(boss.getByLabel("Authors may recall for")).not.toHaveValue("");
  // Saving what is there changes nothing for the other tests on this server.
  await boss.getByRole("button", { name: "Save" }).click();
  await expect(boss.getByRole("status")).toHaveText("Saved.");
  await snap(boss, "13-settings");

  await boss.getByRole("link", { name: "Word filter" }).click();
  await snap(boss, "14-words");
  await boss.getByRole("link", { name: "Audit log" }).click();
  await expect(boss.locator("td", { hasText: "Logged out by staff" }).first()).toBeVisible();
  await snap(boss, "15-audit");

  // Chinese, dark, and a phone.
  await boss.evaluate(() => localStorage.setItem("teahouse.theme", "dark"));
  await boss.goto("/settings/appearance");
  await boss.locator(".settings-body").getByLabel("Language").selectOption("zh-CN");
  await boss.goto("/admin");
  await expect(boss.getByRole("heading", { name: "概览" })).toBeVisible();
  await snap(boss, "20-dashboard-zh-dark");
  await boss.setViewportSize({ width: 360, height: 740 });
  await snap(boss, "21-dashboard-phone");
  await boss.goto("/admin/people");
  await expect(boss.getByRole("heading", { name: "用户" })).toBeVisible();
  await snap(boss, "22-people-phone");
  await boss.goto("/admin/reports");
  await snap(boss, "23-reports-phone");
  await boss.goto("/admin/settings");
  await expect(boss.getByRole("heading", { name: "服务器设置" })).toBeVisible();
  await snap(boss, "24-settings-phone");
  const overflow = await boss.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
