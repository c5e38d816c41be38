import { expect, test } from "@playwright/test";
import { PASSWORD, loggedInPage, snap } from "./support";

test("a friend request is seen live, survives logout, is accepted, and the two chat privately while presence changes", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const liName = `li_${suffix}`;
  const hanName = `han_${suffix}`;
  const li = await loggedInPage(browser, request, liName);
  const han = await loggedInPage(browser, request, hanName);

  // Li finds Han and asks, with a greeting.
  await li.getByRole("link", { name: "Friends" }).click();
  await li.getByLabel("Username, display name or number").fill(hanName);
  await li.getByRole("button", { name: "Search" }).click();
  await li.getByLabel("Greeting (optional)").fill("Tea on Friday?");
  await li.getByRole("button", { name: "Add", exact: true }).click();
  await expect(li.getByText("Request sent")).toBeVisible();
  await expect(li.getByText("waiting for an answer")).toBeVisible();

  // Han sees it at once, without reloading, and leaves it for later.
  const prompt = han.getByRole("dialog", { name: "Friend requests waiting: 1" });
  await expect(prompt).toBeVisible();
  await expect(prompt.getByText("Tea on Friday?")).toBeVisible();
  await snap(han, "01-request-prompt");
  await prompt.getByRole("button", { name: "Later" }).click();
  await expect(prompt).toBeHidden();

  // Logging out and in again brings it back.
  await han.getByRole("button", { name: "Log out" }).click();
  await han.getByLabel("Username or email").fill(hanName);
  await han.getByLabel("Password").fill(PASSWORD);
  await han.getByRole("button", { name: "Log in" }).click();
  await expect(prompt).toBeVisible();
  await prompt.getByRole("button", { name: "Accept" }).click();
  await expect(prompt).toBeHidden();

  // Li's friend list updates live, with Han online.
  const friend = li.locator(".person.friend", { hasText: hanName });
  await expect(friend).toHaveAttribute("data-presence", "online");
  await snap(li, "02-friends");

  // A private chat.
  await friend.getByRole("button", { name: "Message" }).click();
  await expect(li.getByRole("heading", { name: hanName, level: 1 })).toBeVisible();
  await li.getByLabel("Message").fill("你好，想喝茶吗？");
  await li.getByLabel("Message").press("Enter");

  // Han's contact list shows it with a preview and an unread badge.
  await han.getByRole("link", { name: "Chat", exact: true }).click();
  const conversation = han.locator(".conversation", { hasText: liName });
  await expect(conversation.locator(".preview")).toHaveText("你好，想喝茶吗？");
  await expect(conversation.locator(".badge")).toHaveText("1");
  await snap(han, "03-contacts");
  await conversation.click();
  await expect(han.getByRole("log").getByText("你好，想喝茶吗？")).toBeVisible();
  await expect(conversation.locator(".badge")).toHaveCount(0);
  await han.getByLabel("Message").fill("好啊！");
  await han.getByLabel("Message").press("Enter");
  await expect(li.getByRole("log").getByText("好啊！")).toBeVisible();

  // Li sees Han online in the chat's header, then offline once Han's page is gone.
  const status = li.locator(".direct-head");
  await expect(status.locator(".dot.on")).toBeVisible();
  await snap(li, "04-private-chat");
  await han.context().close();
  await expect(status.getByText("offline")).toBeVisible();
  await expect(status.locator(".dot.on")).toHaveCount(0);
});

test("blocking from the friend list ends the friendship and can be undone", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `lib_${suffix}`);
  const han = await loggedInPage(browser, request, `hanb_${suffix}`);
  await li.getByRole("link", { name: "Friends" }).click();
  await li.getByLabel("Username, display name or number").fill(`hanb_${suffix}`);
  await li.getByRole("button", { name: "Search" }).click();
  await li.getByRole("button", { name: "Add", exact: true }).click();
  await han.getByRole("dialog", { name: /Friend requests waiting/ }).getByRole("button", { name: "Accept" }).click();
  const friend = li.locator(".person.friend", { hasText: `hanb_${suffix}` });
  await expect(friend).toBeVisible();

  li.on("dialog", (dialog) => dialog.accept());
  await friend.getByRole("button", { name: "Block" }).click();
  await expect(friend).toHaveCount(0);
  const blocked = li.getByRole("region", { name: "Blocked" });
  await expect(blocked.getByText(`hanb_${suffix}`)).toBeVisible();
  await snap(li, "05-blocked");
  await blocked.getByRole("button", { name: "Unblock" }).click();
  await expect(blocked).toHaveCount(0);
});
