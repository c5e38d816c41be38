//! Outgoing e-mail over SMTP (lettre): six-digit codes and password-reset links. Off
//! unless `[mail] smtp_url` is set; then `AppState::mail` holds a [`Mailer`].
//!
//! Every mail is plain text in Chinese and English: the server does not know which of the
//! two a person reads (the app keeps the choice in the browser).

use crate::{
    config::Config,
    error::{AppError, AppResult},
};
use lettre::{
    AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};
use std::time::Duration;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    timeout: Duration,
    public_url: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// What one mail says.
pub enum Mail<'a> {
    /// The code that confirms the address of a new account.
    VerifyCode { code: &'a str, minutes: u64 },
    /// The code that confirms a new address for an account.
    ChangeCode { code: &'a str, minutes: u64 },
    /// A link to set a new password.
    ResetLink { link: &'a str, minutes: u64 },
    /// To the old address, after the account moved to another.
    AddressChanged { new_email: &'a str },
}

impl Mail<'_> {
    fn render(&self) -> (String, String) {
        match self {
            Self::VerifyCode { code, minutes } => (
                format!("茶馆验证码 Teahouse code: {code}"),
                format!(
                    "你的茶馆验证码是 {code}，{minutes} 分钟内有效。\n\
                     如果你没有注册茶馆，请忽略这封邮件。\n\n\
                     Your Teahouse code is {code}. It is good for {minutes} minutes.\n\
                     If you did not sign up for Teahouse, ignore this mail.\n"
                ),
            ),
            Self::ChangeCode { code, minutes } => (
                format!("茶馆验证码 Teahouse code: {code}"),
                format!(
                    "你正在把茶馆账号的邮箱改为这个地址，验证码是 {code}，{minutes} 分钟内有效。\n\
                     如果不是你本人操作，请忽略这封邮件。\n\n\
                     Someone is moving a Teahouse account to this address. The code is {code}, \
                     good for {minutes} minutes.\nIf it was not you, ignore this mail.\n"
                ),
            ),
            Self::ResetLink { link, minutes } => (
                "重设茶馆密码 Reset your Teahouse password".to_owned(),
                format!(
                    "点击下面的链接设置新密码（{minutes} 分钟内有效，只能用一次）：\n{link}\n\
                     如果你没有申请重设密码，请忽略这封邮件，你的密码不会改变。\n\n\
                     Open this link to set a new password (good for {minutes} minutes, once):\n\
                     {link}\nIf you did not ask for this, ignore this mail; your password stays \
                     as it is.\n"
                ),
            ),
            Self::AddressChanged { new_email } => (
                "茶馆账号的邮箱已更改 Your Teahouse e-mail address changed".to_owned(),
                format!(
                    "你的茶馆账号的邮箱已改为 {new_email}。如果不是你本人操作，请立即联系管理员。\n\n\
                     Your Teahouse account now uses {new_email}. If you did not do this, tell \
                     the server's admins at once.\n"
                ),
            ),
        }
    }
}

impl Mailer {
    /// The mailer the configuration asks for: `None` without `smtp_url`; an error for a
    /// URL or sender that cannot work (refused at start, not at the first mail).
    pub fn from_config(config: &Config) -> Result<Option<Self>, String> {
        let mail = &config.mail;
        let Some(url) = mail.smtp_url.as_ref().filter(|u| !u.0.trim().is_empty()) else {
            return Ok(None);
        };
        let timeout = Duration::from_secs(mail.timeout_secs.max(1));
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.0.trim())
            .map_err(|e| format!("mail.smtp_url: {e}"))?
            .timeout(Some(timeout))
            .build();
        let from: Mailbox = mail
            .from
            .parse()
            .map_err(|e| format!("mail.from {:?}: {e}", mail.from))?;
        let public_url = match &mail.public_url {
            Some(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_owned(),
            _ => {
                let bind = config.bind.replace("0.0.0.0", "127.0.0.1");
                tracing::warn!(
                    "mail.public_url is not set: links in mail will point at http://{bind}"
                );
                format!("http://{bind}")
            }
        };
        Ok(Some(Self {
            transport,
            from,
            timeout,
            public_url,
        }))
    }

    /// A link into the app, e.g. `/reset-password?token=…`.
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.public_url)
    }

    /// Sends one mail; 503 `mail_unavailable` if the mail server does not take it in time.
    pub async fn send(&self, to: &str, mail: Mail<'_>) -> AppResult<()> {
        let unavailable = || AppError::Rule {
            code: api::ErrorCode::MailUnavailable,
            message: "the mail server did not take the message; try again later",
        };
        let to: Mailbox = to.parse().map_err(|e| {
            tracing::warn!(error = %e, "an address the mail library cannot write");
            unavailable()
        })?;
        let (subject, text) = mail.render();
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(text)
            .map_err(|e| {
                tracing::warn!(error = %e, "could not build a mail");
                unavailable()
            })?;
        // The transport has its own timeout per command; this bounds the whole exchange.
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "mail not sent");
                Err(unavailable())
            }
            Err(_) => {
                tracing::warn!("mail not sent: the mail server took too long");
                Err(unavailable())
            }
        }
    }
}
