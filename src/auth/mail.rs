//! The two e-mails of staff accounts: an invitation and a password reset
//! link. Neither ever holds a password or a code; the link carries only
//! its random token. Written in Swedish, the municipality's language.

use chrono::{DateTime, Utc};

use crate::mail::OutgoingMail;
use crate::web::format;

/// Where a link leads: the site's address and the token (or the sealed
/// placeholder the worker replaces with it), nothing else.
pub fn link(base: &url::Url, path: &str, token: &str) -> String {
    // The base URL ends in "/" (checked when the configuration is read).
    format!("{}{}/{token}", base.as_str().trim_end_matches('/'), path)
}

fn message_id(base: &url::Url, kind: &str) -> String {
    format!(
        "<staff.{kind}.{}@{}>",
        uuid::Uuid::new_v4().simple(),
        base.host_str().unwrap_or("localhost")
    )
}

/// The invitation to `name` from the administrator `inviter`.
pub fn invitation(
    base: &url::Url,
    email: &str,
    name: &str,
    inviter: &str,
    token: &str,
    expires_at: DateTime<Utc>,
) -> OutgoingMail {
    let link = link(base, "/admin/inbjudan", token);
    let body = format!(
        "Hej {name}!\n\n\
         {inviter} har gett dig ett konto i Fridhem, kommunens webbplats om våld i nära \
         relationer. Där arbetar du med det som dina roller omfattar.\n\n\
         Öppna länken för att välja ett lösenord. Sedan kopplar du en app för \
         engångskoder till kontot, till exempel Microsoft Authenticator, Google \
         Authenticator eller FreeOTP. Ha telefonen till hands.\n\n\
         {link}\n\n\
         Länken fungerar en gång och gäller till {}. Har den hunnit gå ut ber du \
         {inviter} om en ny inbjudan.\n\n\
         Väntade du dig inte det här meddelandet kan du bortse från det. Utan länken \
         blir inget konto användbart.\n",
        format::stockholm(expires_at, format::MINUTE_IN_TEXT)
    );
    OutgoingMail {
        reply_to: None,
        attachment: None,
        message_id: message_id(base, "invitation"),
        recipient: email.to_owned(),
        subject: "Inbjudan till Fridhem".to_owned(),
        body,
        recipient_key: None,
    }
}

/// The link to choose a new password.
pub fn reset(base: &url::Url, email: &str, token: &str, expires_at: DateTime<Utc>) -> OutgoingMail {
    let link = link(base, "/admin/nytt-losenord", token);
    let body = format!(
        "Hej!\n\n\
         Någon, troligen du, har bett om ett nytt lösenord till ditt konto i Fridhem.\n\n\
         Välj ett nytt lösenord här:\n\n\
         {link}\n\n\
         Länken fungerar en gång och gäller i en timme, till {}. När du har valt ett nytt \
         lösenord loggas du ut överallt. Du loggar sedan in med det nya lösenordet och koden \
         från din app, som förut.\n\n\
         Bad du inte om ett nytt lösenord? Då kan du bortse från meddelandet: ditt lösenord \
         är inte ändrat. Händer det igen, tala med en administratör i kommunen.\n",
        format::stockholm(expires_at, format::MINUTE_IN_TEXT)
    );
    OutgoingMail {
        reply_to: None,
        attachment: None,
        message_id: message_id(base, "reset"),
        recipient: email.to_owned(),
        subject: "Nytt lösenord till Fridhem".to_owned(),
        body,
        recipient_key: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_only_the_token() {
        let base = url::Url::parse("https://fridhem.example.se/").unwrap();
        assert_eq!(
            link(&base, "/admin/inbjudan", "abc_-1"),
            "https://fridhem.example.se/admin/inbjudan/abc_-1"
        );
        let at = DateTime::parse_from_rfc3339("2026-12-04T17:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mail = invitation(&base, "a@b.se", "Ann", "Bo Admin", "tok", at);
        assert!(mail.body.contains("/admin/inbjudan/tok\n"));
        assert!(mail.body.contains("2026-12-04 kl. 18:00"), "{}", mail.body);
        assert!(mail.message_id.ends_with("@fridhem.example.se>"));
    }
}
