package auth

import (
	"context"
	"net/http"
	"strings"
	"time"

	"fugong"
	"fugong/store"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The second factor is a time-based one-time password (RFC 6238: HMAC-SHA-1, 6 digits,
// 30-second steps), as every authenticator app makes; one step of clock drift either way
// is accepted. 等保 2.0 level 3 asks for two factors for the administrators.

var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPKey makes a new secret for username; its URL (otpauth://) goes in the QR code.
func NewTOTPKey(username string) (*otp.Key, error) {
	return totp.Generate(totp.GenerateOpts{Issuer: "fugong", AccountName: username, Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}

// ValidTOTP reports whether code is the secret's code at now (give or take a step).
func ValidTOTP(secret, code string, now time.Time) bool {
	ok, err := totp.ValidateCustom(strings.TrimSpace(code), secret, now, totpOpts)
	return err == nil && ok
}

// Enrolled reports whether u has a TOTP authenticator, and its secret.
func (a *Auth) Enrolled(ctx context.Context, u fugong.User) (string, bool, error) {
	sealed, err := a.DB.FindTOTP(ctx, u.ID)
	if err != nil || sealed == "" {
		return "", false, err
	}
	s, err := a.Keys.Open(sealed)
	if err != nil {
		return "", false, err
	}
	return s, true, nil
}

// Enrol saves secret as u's authenticator once code shows that the app holds it.
func (a *Auth) Enrol(ctx context.Context, u fugong.User, secret, code string) error {
	if !ValidTOTP(secret, code, a.Clock.Now()) {
		return fugong.Invalid(map[string]fugong.Msg{"code": fugong.M("totp.wrong_code")})
	}
	return a.DB.SetTOTP(ctx, u, a.Keys.Seal(secret))
}

// CheckSecondFactor checks u's code: a wrong one counts as a failed login (and can lock
// the account) like a wrong password; a locked account is refused.
func (a *Auth) CheckSecondFactor(ctx context.Context, u fugong.User, code, ip string) error {
	secret, ok, err := a.Enrolled(ctx, u)
	if err != nil {
		return err
	}
	if !ok {
		return nil
	}
	st, err := a.DB.FindLoginState(ctx, u.ID)
	if err != nil {
		return err
	}
	if st.LockedUntil > a.Clock.Now().UnixMilli() {
		if err := a.DB.RecordLoginFailure(ctx, u, st, "locked", false, ip); err != nil {
			return err
		}
		return ErrBadLogin
	}
	if !ValidTOTP(secret, code, a.Clock.Now()) {
		return a.fail(ctx, u, st, "second_factor", ip)
	}
	return nil
}

// PendingSession returns the session of a request whose second factor is awaited.
func (a *Auth) PendingSession(r *http.Request) (store.Session, fugong.User, error) {
	ck, err := r.Cookie(SessionCookie)
	if err != nil || ck.Value == "" {
		return store.Session{}, fugong.User{}, fugong.Errorf(fugong.EUNAUTH, "error.unauthorized")
	}
	now := a.Clock.Now()
	s, u, err := a.DB.FindSession(r.Context(), TokenHash(ck.Value), now, a.idleSince(now))
	if err != nil {
		return s, u, err
	}
	if !s.Pending {
		return s, u, fugong.Errorf(fugong.EUNAUTH, "error.unauthorized")
	}
	return s, u, nil
}

// ConfirmSecondFactor turns the pending session into a full one for the session's
// ordinary lifetime.
func (a *Auth) ConfirmSecondFactor(ctx context.Context, s store.Session, u fugong.User, ip string) error {
	if err := a.DB.ConfirmSession(ctx, u, s.TokenHash, ip); err != nil {
		return err
	}
	return a.DB.ExtendSession(ctx, s.TokenHash, a.Clock.Now().Add(a.SessionTTL))
}
