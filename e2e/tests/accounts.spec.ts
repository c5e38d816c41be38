import { expect, test, type Page } from "@playwright/test";
import { admin } from "./support";

// Screenshots of each screen are kept as test artifacts (e2e/test-results, not committed).
async function snap(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test("register, log out, log in, edit the profile, reload, switch language and theme", async ({ page }) => {
  const username = `tea_${Date.now().toString(36)}`;
  const password = "green-tea-at-dusk";

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await page.getByRole("link", { name: "Create an account" }).click();

  // Registration: the form checks the repeated password and shows the strength.
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(`${username}@example.com`);
  // The meter gives the server's own verdict: a common password is never called good.
  await page.getByLabel("Password", { exact: true }).fill("password123");
  await expect(page.getByText("Strength: too common")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(password);
  await expect(page.getByText(/Strength: (good|strong)/)).toBeVisible();
  await page.getByLabel("Repeat the password").fill("something-else");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("The two passwords are not the same.")).toBeVisible();
  await page.getByLabel("Repeat the password").fill(password);
  await snap(page, "01-register");
  await page.getByRole("button", { name: "Create account" }).click();

  // A new account lands in Chat, with nothing in it yet.
  await expect(page.getByText("You are not in any room yet.", { exact: false })).toBeVisible();
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: username, level: 2 })).toBeVisible();
  await expect(page.getByText(`${username}@example.com`)).toBeVisible();
  await snap(page, "02-profile");

  // Log out, then back in with the email address.
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await page.getByLabel("Username or email").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill("wrong-password-here");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong username, email or password.");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: username, level: 2 })).toBeVisible();

  // Edit the profile.
  await page.getByLabel("Display name").fill("李雷");
  await page.getByLabel("About me").fill("喜欢喝茶。\nLikes tea.");
  await page.getByLabel("Location").fill("北京");
  await page.getByLabel("Gender").selectOption("male");
  await page.getByLabel("Zodiac sign").selectOption("leo");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "李雷", level: 2 })).toBeVisible();

  // Still logged in, with the edits, after a reload.
  await page.reload();
  await expect(page.getByRole("heading", { name: "李雷", level: 2 })).toBeVisible();
  await expect(page.getByLabel("Zodiac sign")).toHaveValue("leo");
  await expect(page.getByText("喜欢喝茶。")).toBeVisible();

  // Chinese, remembered across a reload.
  await page.getByLabel("Language").first().selectOption("zh-CN");
  await expect(page.getByRole("heading", { name: "编辑资料" })).toBeVisible();
  await expect(page.getByRole("button", { name: "保存" })).toBeVisible();
  await expect(page.getByLabel("星座")).toHaveValue("leo");
  await page.reload();
  await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  await snap(page, "03-profile-zh");

  // Dark theme, remembered across a reload.
  const html = page.locator("html");
  const before = await html.getAttribute("data-theme");
  const toggle = before === "dark" ? "切换到浅色主题" : "切换到深色主题";
  await page.getByRole("button", { name: toggle }).click();
  const after = before === "dark" ? "light" : "dark";
  await expect(html).toHaveAttribute("data-theme", after);
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", after);
  await snap(page, "04-theme");

  // Change the password in Chinese, and log in with the new one.
  await page.getByRole("link", { name: "密码" }).click();
  await page.getByLabel("当前密码").fill(password);
  await page.getByLabel("新密码", { exact: true }).fill("oolong-by-the-river");
  await page.getByLabel("再次输入新密码").fill("oolong-by-the-river");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByRole("status")).toContainText("密码已修改");
  await page.getByRole("button", { name: "退出登录" }).click();
  await page.getByLabel("用户名或邮箱").fill(username);
  await page.getByLabel("密码").fill("oolong-by-the-river");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("link", { name: "设置" }).click();
  await expect(page.getByRole("heading", { name: "李雷", level: 2 })).toBeVisible();
});

test("the layout works at 360 px wide", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/register");
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await snap(page, "05-narrow");
});

test("a server-side rule shows on its field", async ({ page }) => {
  await page.goto("/register");
  await page.getByLabel("Username").fill(`common_${Date.now().toString(36)}`);
  await page.getByLabel("Email").fill(`common_${Date.now().toString(36)}@example.com`);
  await page.getByLabel("Password", { exact: true }).fill("password123");
  await page.getByLabel("Repeat the password").fill("password123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Too common or too easy to guess.", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
});

test("a login elsewhere logs this tab out at once, and says why", async ({ page, request }) => {
  const username = `kick_${Date.now().toString(36)}`;
  const password = "green-tea-at-dusk";
  const registered = await request.post("/api/v1/auth/register", {
    data: { username, email: `${username}@example.com`, password },
  });
  expect(registered.status()).toBe(201);
  await page.goto("/login");
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("link", { name: "Settings" })).toBeVisible();

  // The same account logs in somewhere else; this tab hears it over its socket.
  const elsewhere = await request.post("/api/v1/auth/login", { data: { login: username, password } });
  expect(elsewhere.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await expect(page.getByRole("alert")).toHaveText(
    "You were logged out because this account logged in somewhere else.",
  );
  await snap(page, "06-replaced");
});

test("a password staff handed over is replaced at the next login", async ({ page }) => {
  const name = `temp_${Date.now().toString(36)}`;
  const out = admin("create-user", name, `${name}@example.com`);
  const temporary = out.match(/temporary password: (\S+)/)?.[1];
  expect(temporary, out).toBeTruthy();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto("/login");
  await page.getByLabel("Username or email").fill(name);
  await page.getByLabel("Password").fill(temporary!);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/settings\/password$/);
  await expect(page.getByRole("status").filter({ hasText: "a password the server's staff gave you" })).toBeVisible();
  await snap(page, "temporary-password-phone");
  // Nowhere else until it is replaced.
  await page.goto("/rooms");
  await expect(page).toHaveURL(/\/settings\/password$/);
  await page.getByLabel("Current password").fill(temporary!);
  await page.getByLabel("New password", { exact: true }).fill("my very own oolong");
  await page.getByLabel("Repeat the new password").fill("my very own oolong");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed.")).toBeVisible();
  await page.goto("/rooms");
  await expect(page).toHaveURL(/\/rooms$/);
});
