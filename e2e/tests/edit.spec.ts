import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { loggedInPage, snap } from "./support";

// Editing a message: the author alone, in place; "(edited)" shows live on the other side,
// with what it said before one click away.

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(window.localStorage.getItem("teahouse.tokens") ?? "{}").access);
}

async function sharedRoom(request: APIRequestContext, owner: string, guest: string) {
  const room = await (await request.post("/api/v1/rooms", {
    headers: { Authorization: `Bearer ${owner}` },
    data: { name: "Edit club", visibility: "public" },
  })).json();
  const joined = await request.post("/api/v1/rooms/join", { headers: { Authorization: `Bearer ${guest}` }, data: { number: room.number } });
  expect(joined.status()).toBe(200);
  return room;
}

test("the author edits in place, the other side sees (edited) live and the history", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await loggedInPage(browser, request, `han_${suffix}`);
  const room = await sharedRoom(request, await token(li), await token(han));
  for (const page of [li, han]) await page.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await li.getByLabel("Message", { exact: true }).fill("see you at 6");
  await li.getByLabel("Message", { exact: true }).press("Enter");
  const theirs = han.getByRole("log").locator(".message", { hasText: "see you at 6" });
  await expect(theirs).toBeVisible();
  // Nobody but the author may change it, not even to try.
  await theirs.hover();
  await expect(theirs.getByRole("button", { name: "Edit" })).toHaveCount(0);

  const mine = li.getByRole("log").locator(".message", { hasText: "see you at 6" });
  await mine.hover();
  await mine.getByRole("button", { name: "Edit" }).click();
  const field = li.getByLabel("Edit message");
  await expect(field).toHaveValue("see you at 6");
  await expect(field).toBeFocused();
  await field.fill("see you at **7**");
  await field.press("Enter");
  await expect(field).toHaveCount(0);
  await expect(li.getByRole("log").locator(".message strong", { hasText: "7" })).toBeVisible();

  // Live on the other side, marked, with the earlier version to see.
  const edited = han.getByRole("log").locator(".message", { hasText: "see you at 7" });
  await expect(edited.locator("strong")).toHaveText("7");
  await edited.getByRole("button", { name: "(edited)" }).click();
  const dialog = han.getByRole("dialog", { name: "Edit history" });
  await expect(dialog.locator(".version .body")).toHaveText(["see you at 6"]);
  await snap(han, "01-edit-history");
  await han.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // Up in the empty composer opens my last message; Escape leaves it as it was.
  await li.getByLabel("Message", { exact: true }).press("ArrowUp");
  await expect(li.getByLabel("Edit message")).toHaveValue("see you at **7**");
  await snap(li, "02-editing");
  await li.getByLabel("Edit message").press("Escape");
  await expect(li.getByLabel("Edit message")).toHaveCount(0);
  await expect(li.getByRole("log").locator(".message strong", { hasText: "7" })).toBeVisible();
  // A reload shows the edited text and the mark (history carries both).
  await han.reload();
  await expect(han.getByRole("log").locator(".message", { hasText: "see you at 7" }).getByRole("button", { name: "(edited)" })).toBeVisible();
});
