import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { loggedInPage, sendMessage, snap } from "./support";

// Replies: a compact quote of the original that opens it in context, even pages back, and
// follows it when it is recalled.

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(window.localStorage.getItem("teahouse.tokens") ?? "{}").access);
}

async function say(request: APIRequestContext, access: string, post: number, body: string, reply_to?: number) {
  return sendMessage(request, access, post, body, { reply_to });
}

test("reply, jump to the quoted message pages back, and see the quote follow a recall", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `li_${suffix}`);
  const han = await loggedInPage(browser, request, `han_${suffix}`);
  const liToken = await token(li);
  const hanToken = await token(han);
  const room = await (await request.post("/api/v1/rooms", {
    headers: { Authorization: `Bearer ${liToken}` },
    data: { name: "Reply club", visibility: "public" },
  })).json();
  await request.post("/api/v1/rooms/join", { headers: { Authorization: `Bearer ${hanToken}` }, data: { number: room.number } });
  const question = await say(request, hanToken, room.default_post_id, "Which tea for the **autumn** meeting?");
  // More than the first page the app opens (100).
  for (let i = 0; i < 110; i++) await say(request, liToken, room.default_post_id, `filler ${i}`);
  await say(request, liToken, room.default_post_id, "Oolong, I think", question.id);

  // Han has read it all, so the room opens at the newest message, far from the question.
  await request.post(`/api/v1/posts/${room.default_post_id}/read`, { headers: { Authorization: `Bearer ${hanToken}` }, data: {} });
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  const log = han.getByRole("log");
  const answer = log.locator(".message", { hasText: "Oolong, I think" });
  await expect(answer.locator(".reply-quote")).toContainText("Which tea for the autumn meeting?");
  await expect(log.getByText("filler 5", { exact: true })).toHaveCount(0);
  // The original is far back: its page is loaded in place and it is highlighted.
  await answer.locator(".reply-quote").click();
  const original = log.locator(".message", { hasText: "Which tea for the autumn meeting?" }).filter({ hasNot: han.locator(".reply-quote") });
  await expect(original).toBeInViewport();
  await expect(original).toHaveClass(/flash/);
  await snap(han, "01-jumped");
  await han.getByRole("button", { name: /Jump to the latest/ }).click();
  await expect(answer).toBeInViewport();

  // Han answers Li's message from the app.
  await li.goto(`/rooms/${room.id}/${room.default_post_id}`);
  await answer.hover();
  await answer.getByRole("button", { name: "Reply" }).click();
  await expect(han.locator(".replying")).toContainText(`Replying to li_${suffix}`);
  await han.getByLabel("Message", { exact: true }).fill("Agreed!");
  await han.getByLabel("Message", { exact: true }).press("Enter");
  await expect(han.locator(".replying")).toHaveCount(0);
  const agreed = li.getByRole("log").locator(".message", { hasText: "Agreed!" });
  await expect(agreed.locator(".reply-quote")).toContainText("Oolong, I think");
  await snap(li, "02-reply");

  // Li recalls the answer: the quote of it says so, live.
  const mine = li.getByRole("log").locator(".message", { hasText: "Oolong, I think" }).filter({ hasNot: li.locator(".reply-quote", { hasText: "Oolong" }) });
  await mine.first().hover();
  await mine.first().getByRole("button", { name: "Recall" }).click();
  await expect(han.getByRole("log").locator(".message", { hasText: "Agreed!" }).locator(".reply-quote")).toContainText("The original message was recalled");
});
