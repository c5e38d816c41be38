import { expect, test } from "@playwright/test";
import { admin, api, loggedInPage, PASSWORD, snap, token } from "./support";

// Site staff deactivate someone who is chatting: their tab is logged out at once and says
// why, and logging in again is refused until they are reactivated (here from the command
// line, as the person who runs the server would).

test("a deactivated person's open tab is logged out and cannot log in again", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const li = await loggedInPage(browser, request, `dli_${suffix}`);
  const han = await loggedInPage(browser, request, `dhan_${suffix}`);
  admin("set-role", `dli_${suffix}`, "admin");
  const liToken = await token(li);
  const hanToken = await token(han);
  const room = await api(request, liToken, "post", "/rooms", { name: "Busy room", visibility: "public" });
  await api(request, hanToken, "post", "/rooms/join", { number: room.number });
  await han.goto(`/rooms/${room.id}/${room.default_post_id}`);
  const composer = han.getByRole("textbox", { name: "Message" });
  await composer.fill("hello everyone");
  await composer.press("Enter");
  await expect(han.getByRole("log").locator(".message", { hasText: "hello everyone" })).toBeVisible();

  const me = await (await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${hanToken}` } })).json();
  await api(request, liToken, "post", `/admin/users/${me.id}/deactivate`);
  await expect(han.getByRole("heading", { name: "Log in" })).toBeVisible();
  await expect(han.getByRole("alert")).toHaveText("Your account was deactivated by the server's staff.");
  await snap(han, "01-logged-out");

  await han.getByLabel("Username or email").fill(`dhan_${suffix}`);
  await han.getByLabel("Password").fill(PASSWORD);
  await han.getByRole("button", { name: "Log in" }).click();
  await expect(han.getByText("This account was deactivated by the server's staff.")).toBeVisible();

  expect(admin("reactivate", `dhan_${suffix}`)).toContain("is active again");
  await han.getByRole("button", { name: "Log in" }).click();
  await expect(han.getByRole("link", { name: "Settings" })).toBeVisible();
});
