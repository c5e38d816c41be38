import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PASSWORD, loggedInPage, snap } from "./support";

// Formatted messages: the composer's toolbar and shortcuts write Markdown, the server
// renders and sanitises it, and the other side sees it formatted; hostile Markdown shows
// as text and runs nothing.

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(window.localStorage.getItem("teahouse.tokens") ?? "{}").access);
}

async function sharedRoom(request: APIRequestContext, owner: string, guest: string) {
  const room = await (await request.post("/api/v1/rooms", {
    headers: { Authorization: `Bearer ${owner}` },
    data: { name: "Format club", visibility: "public" },
  })).json();
  const joined = await request.post("/api/v1/rooms/join", { headers: { Authorization: `Bearer ${guest}` }, data: { number: room.number } });
  expect(joined.status()).toBe(200);
  return room;
}

test("the toolbar and shortcuts format, and the other side sees it rendered", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await loggedInPage(browser, request, `han_${suffix}`);
  const room = await sharedRoom(request, await token(li), await token(han));
  for (const page of [li, han]) await page.goto(`/rooms/${room.id}/${room.default_post_id}`);
  const composer = li.getByLabel("Message", { exact: true });
  const seen = han.getByRole("log");

  // Toolbar: select, press Bold; a second press takes it off again.
  await composer.fill("green tea");
  await composer.press("Control+a");
  await li.getByRole("button", { name: "Bold (Ctrl+B)" }).click();
  await expect(composer).toHaveValue("**green tea**");
  await li.getByRole("button", { name: "Bold (Ctrl+B)" }).click();
  await expect(composer).toHaveValue("green tea");
  await li.getByRole("button", { name: "Bold (Ctrl+B)" }).click();
  // Shortcuts: with nothing selected, the markers go round what is typed next.
  await composer.press("End");
  await composer.pressSequentially(" and ");
  await composer.press("Control+i");
  await composer.pressSequentially("cakes");
  await expect(composer).toHaveValue("**green tea** and _cakes_");
  await composer.press("Enter");
  await expect(seen.locator(".body.rich strong")).toHaveText("green tea");
  await expect(seen.locator(".body.rich em")).toHaveText("cakes");

  await composer.fill("steep for three minutes");
  await composer.press("Control+a");
  await li.getByRole("button", { name: "Quote (Ctrl+Shift+9)" }).click();
  await expect(composer).toHaveValue("> steep for three minutes");
  await composer.press("Enter");
  await expect(seen.locator(".body.rich blockquote")).toHaveText("steep for three minutes");

  await composer.fill("gongfu");
  await composer.press("Control+a");
  await composer.press("Control+e");
  await expect(composer).toHaveValue("`gongfu`");
  await composer.press("Enter");
  await expect(seen.locator(".body.rich code")).toHaveText("gongfu");

  // A link: the address placeholder is selected, so typing replaces it.
  await composer.fill("the menu");
  await composer.press("Control+a");
  await li.getByRole("button", { name: "Link (Ctrl+Shift+U)" }).click();
  await li.keyboard.type("https://menu.example/tea");
  await expect(composer).toHaveValue("[the menu](https://menu.example/tea)");
  await composer.press("Enter");
  const link = seen.getByRole("link", { name: "the menu" });
  await expect(link).toHaveAttribute("href", "https://menu.example/tea");
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");

  // Lists, a code block and a bare www. address, typed as Markdown.
  await composer.fill("- oolong\n- puer\n\n```\nlet tea = 1;\n```\nwww.teahouse.example");
  await composer.press("Enter");
  await expect(seen.locator(".body.rich li")).toHaveText(["oolong", "puer"]);
  await expect(seen.locator(".body.rich pre")).toHaveText("let tea = 1;");
  await expect(seen.getByRole("link", { name: "www.teahouse.example" })).toHaveAttribute("href", "https://www.teahouse.example");
  // The contact list's preview is the text, without the marks.
  await han.getByRole("tab", { name: "Chats" }).click();
  await expect(han.locator(".conversation", { hasText: "Format club" })).toContainText("oolong puer let tea = 1; www.teahouse.example");
  await snap(han, "01-formatted");
  await snap(li, "02-composer");
});

test("the XSS corpus shows as text and runs nothing", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const mallory = await (await request.post("/api/v1/auth/register", {
    data: { username: `mallory_${suffix}`, email: `mallory_${suffix}@example.com`, password: PASSWORD },
  })).json();
  const room = await sharedRoom(request, await token(li), mallory.access_token);
  const corpus: string[] = JSON.parse(readFileSync(join(__dirname, "../../backend/tests/fixtures/markdown-xss.json"), "utf8"));
  for (const body of corpus) {
    const sent = await request.post(`/api/v1/posts/${room.default_post_id}/messages`, {
      headers: { Authorization: `Bearer ${mallory.access_token}` },
      data: { client_id: crypto.randomUUID(), body },
    });
    expect(sent.status()).toBe(201);
  }
  const dialogs: string[] = [];
  const outside: string[] = [];
  li.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  li.on("request", (req) => {
    if (req.url().includes("evil.example")) outside.push(req.url());
  });
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  const log = li.getByRole("log");
  await expect(log.locator(".message")).toHaveCount(corpus.length);
  await expect(log.getByText("<script>alert(1)</script>", { exact: true }).first()).toBeVisible();
  // Every link the corpus made: hover and click the dangerous-looking ones.
  for (const a of await log.locator(".body a").all()) {
    const href = await a.getAttribute("href");
    expect(href).toMatch(/^(https?:|mailto:)/);
  }
  for (const name of ["click", "x", "a"]) {
    for (const a of await log.locator(".body a", { hasText: new RegExp(`^${name}$`) }).all()) {
      await a.hover();
    }
  }
  // Nothing but the allow-list made it into the page, and no handler attribute.
  const found = await log.evaluate((el) => {
    const allowed = new Set(["P", "BR", "EM", "STRONG", "DEL", "CODE", "PRE", "BLOCKQUOTE", "UL", "OL", "LI", "A"]);
    const bad: string[] = [];
    for (const body of el.querySelectorAll(".body.rich")) {
      for (const node of body.querySelectorAll("*")) {
        if (!allowed.has(node.tagName)) bad.push(node.tagName);
        for (const attr of node.getAttributeNames()) {
          if (!["href", "rel", "target", "start"].includes(attr)) bad.push(`${node.tagName}[${attr}]`);
        }
      }
    }
    return bad;
  });
  expect(found).toEqual([]);
  await li.waitForTimeout(500);
  expect(dialogs).toEqual([]);
  expect(outside).toEqual([]);
  await snap(li, "03-xss-corpus");
});
