import { expect, test } from "@playwright/test";
import { admin, api, codeIn, loggedInPage, nextMail, PASSWORD, snap, token } from "./support";

// E-mail through a real SMTP receiver: a new account confirms its address with the code
// it was sent; "forgot password" mails a link that sets a new one; the settings move an
// account to another address with a code sent there.

test("a new account confirms its address with the mailed code", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const staff = await loggedInPage(browser, request, `mroot_${suffix}`);
  admin("set-role", `mroot_${suffix}`, "admin");
  const staffToken = await token(staff);
  await api(request, staffToken, "patch", "/admin/settings", { require_email_verification: true });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto("/register");
    const name = `mnew_${suffix}`;
    await page.getByLabel("Username").fill(name);
    await page.getByLabel("Email").fill(`${name}@example.com`);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Repeat the password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page.getByRole("heading", { name: "Confirm your e-mail" })).toBeVisible();
    await expect(page.getByText(`We sent a 6-digit code to ${name}@example.com`)).toBeVisible();
    await expect(page.getByRole("button", { name: /New code in \d+ s/ })).toBeDisabled();
    await snap(page, "01-code-step-phone");
    const code = codeIn(await nextMail(`${name}@example.com`));

    await page.getByLabel("Code").fill(code === "000000" ? "000001" : "000000");
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByText("That code is wrong. Check the mail and try again. 4 tries left.")).toBeVisible();
    await page.getByLabel("Code").fill(code);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page).toHaveURL(/\/rooms/);

    // Logging in before the code was entered leads to the same step.
    const other = `mlate_${suffix}`;
    const made = await request.post("/api/v1/auth/register", {
      data: { username: other, email: `${other}@example.com`, password: PASSWORD },
    });
    expect(made.status()).toBe(202);
    const lateCode = codeIn(await nextMail(`${other}@example.com`));
    const late = await (await browser.newContext({ locale: "zh-CN" })).newPage();
    await late.setViewportSize({ width: 1366, height: 800 });
    await late.goto("/login");
    await late.getByLabel("用户名或邮箱").fill(other);
    await late.getByLabel("密码").fill(PASSWORD);
    await late.getByRole("button", { name: "登录" }).click();
    await expect(late.getByRole("heading", { name: "验证邮箱" })).toBeVisible();
    await snap(late, "02-code-step-after-login-zh");
    await late.getByLabel("验证码").fill(lateCode);
    await late.getByRole("button", { name: "验证", exact: true }).click();
    await expect(late).toHaveURL(/\/rooms/);
  } finally {
    await api(request, staffToken, "patch", "/admin/settings", { require_email_verification: false });
  }
});

test("a forgotten password is reset by the mailed link", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const name = `mforgot_${suffix}`;
  const made = await request.post("/api/v1/auth/register", {
    data: { username: name, email: `${name}@example.com`, password: PASSWORD },
  });
  expect(made.status()).toBe(201);

  const page = await (await browser.newContext()).newPage();
  await page.setViewportSize({ width: 1366, height: 800 });
  // Dark, on a desktop (the other screens here are light or on a phone).
  await page.goto("/login");
  await page.evaluate(() => localStorage.setItem("teahouse.theme", "dark"));
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("E-mail").fill(`${name}@example.com`);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByText("If an account uses this address, a link is on its way.")).toBeVisible();
  await snap(page, "03-forgot-sent");

  const mail = await nextMail(`${name}@example.com`);
  const link = mail.text.match(/http:\/\/\S+\/reset-password\?token=\S+/)?.[0];
  expect(link, mail.text).toBeTruthy();
  await page.goto(link!);
  await page.getByLabel("New password", { exact: true }).fill("a fresh pot of oolong");
  await page.getByLabel("Repeat the new password").fill("a fresh pot of oolong");
  await page.getByRole("button", { name: "Set the password" }).click();
  await expect(page.getByText("Your password is set")).toBeVisible();
  // Done: the form goes, the way to log in stays.
  await expect(page.getByRole("button", { name: "Set the password" })).toBeHidden();
  await expect(page.getByRole("link", { name: "Log in" }).last()).toBeVisible();
  await snap(page, "04-reset-done");

  // The link works once.
  await page.goto(link!);
  await page.getByLabel("New password", { exact: true }).fill("yet another pot of tea");
  await page.getByLabel("Repeat the new password").fill("yet another pot of tea");
  await page.getByRole("button", { name: "Set the password" }).click();
  await expect(page.getByText("This link has expired or was already used.")).toBeVisible();

  await page.goto("/login");
  await page.getByLabel("Username or email").fill(name);
  await page.getByLabel("Password").fill("a fresh pot of oolong");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/rooms/);
});

test("the settings move an account to another address with a code", async ({ browser, request }) => {
  const suffix = Date.now().toString(36);
  const name = `mmove_${suffix}`;
  const page = await loggedInPage(browser, request, name);
  await page.setViewportSize({ width: 1366, height: 800 });
  await page.goto("/settings/password");
  const card = page.getByTestId("email-card");
  await expect(card.getByText(`Your address: ${name}@example.com`)).toBeVisible();
  await expect(card.getByText("not confirmed")).toBeVisible();
  await card.getByLabel("New address").fill(`${name}@example.org`);
  await card.getByLabel("Your password").fill(PASSWORD);
  await card.getByRole("button", { name: "Send a code to the new address" }).click();
  await expect(card.getByText(`We sent a 6-digit code to ${name}@example.org.`)).toBeVisible();
  const code = codeIn(await nextMail(`${name}@example.org`));
  await card.getByLabel("Code").fill(code);
  await card.getByRole("button", { name: "Change the address" }).click();
  await expect(card.getByText(`Your address is now ${name}@example.org.`)).toBeVisible();
  await expect(card.getByText(`Your address: ${name}@example.org`)).toBeVisible();
  await expect(card.getByText("confirmed", { exact: true })).toBeVisible();
  await snap(page, "05-email-changed");
  // The old address is told.
  expect((await nextMail(`${name}@example.com`)).text).toContain(`${name}@example.org`);
  await page.evaluate(() => localStorage.setItem("teahouse.theme", "dark"));
  await page.setViewportSize({ width: 360, height: 740 });
  await page.reload();
  await expect(page.getByTestId("email-card").getByText("confirmed", { exact: true })).toBeVisible();
  await snap(page, "06-email-card-dark-phone");
});
