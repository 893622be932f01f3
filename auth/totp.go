package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"math/big"
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
	return totpStep(secret, code, now) >= 0
}

// totpStep returns the time step (Unix time / 30 s) whose code is code, one step of
// drift either way of now, or -1 when none is.
func totpStep(secret, code string, now time.Time) int64 {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return -1
	}
	t := now.Unix() / int64(totpOpts.Period)
	for s := t - int64(totpOpts.Skew); s <= t+int64(totpOpts.Skew); s++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*int64(totpOpts.Period), 0).UTC(), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s
		}
	}
	return -1
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

// Enrol saves secret as u's authenticator once code shows that the app holds it (that
// code is then used: it opens no login), with a new set of recovery codes, which it
// returns to be shown once.
func (a *Auth) Enrol(ctx context.Context, u fugong.User, secret, code string) ([]string, error) {
	step := totpStep(secret, code, a.Clock.Now())
	if step < 0 {
		return nil, fugong.Invalid(map[string]fugong.Msg{"code": fugong.M("totp.wrong_code")})
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	return codes, a.DB.EnrolTOTP(ctx, u, a.Keys.Seal(secret), step, hashes)
}

// NewRecoveryCodes replaces u's recovery codes with a new set, which it returns to be
// shown once, after u gives a valid code of the authenticator (so that a session left
// open cannot take them).
func (a *Auth) NewRecoveryCodes(ctx context.Context, u fugong.User, code, ip string) ([]string, error) {
	if _, ok, err := a.Enrolled(ctx, u); err != nil || !ok {
		if err != nil {
			return nil, err
		}
		return nil, fugong.Errorf(fugong.EFORBIDDEN, "totp.enrol_first")
	}
	if err := a.CheckSecondFactor(ctx, u, code, ip); err != nil {
		if fugong.ErrorCode(err) == fugong.EUNAUTH {
			return nil, fugong.Invalid(map[string]fugong.Msg{"code": fugong.M("totp.wrong_code")})
		}
		return nil, err
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	return codes, a.DB.ReplaceRecoveryCodes(ctx, u, hashes)
}

// RecoveryCodes is how many recovery codes there are, one per line on paper.
const RecoveryCodes = 10

// recoveryAlphabet has no letters that read as digits or as each other (0/O, 1/l/I).
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newRecoveryCodes makes RecoveryCodes single-use codes (xxxxx-xxxxx: 10 characters of
// 31, about 49 bits each) and their argon2id hashes.
func newRecoveryCodes() (codes, hashes []string, err error) {
	for range RecoveryCodes {
		b := make([]byte, 10)
		for i := range b {
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(recoveryAlphabet))))
			if err != nil {
				return nil, nil, err
			}
			b[i] = recoveryAlphabet[n.Int64()]
		}
		code := string(b[:5]) + "-" + string(b[5:])
		h, err := HashPassword(normalRecovery(code))
		if err != nil {
			return nil, nil, err
		}
		codes, hashes = append(codes, code), append(hashes, h)
	}
	return codes, hashes, nil
}

// normalRecovery is a recovery code as typed, without its dash, spaces or capitals.
func normalRecovery(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, strings.TrimSpace(code))
}

// useRecoveryCode spends one of u's unused recovery codes that matches code, and
// reports whether one did; each use is audited.
func (a *Auth) useRecoveryCode(ctx context.Context, u fugong.User, code, ip string) (bool, error) {
	code = normalRecovery(code)
	if len(code) != 10 {
		return false, nil
	}
	unused, err := a.DB.UnusedRecoveryCodes(ctx, u.ID)
	if err != nil {
		return false, err
	}
	for _, rc := range unused {
		if ok, _ := CheckPassword(rc.Hash, code); ok {
			return a.DB.UseRecoveryCode(ctx, u, rc.ID, len(unused)-1, ip)
		}
	}
	return false, nil
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
	// Six digits are the authenticator's code, accepted once (RFC 6238 §5.2: a code seen
	// on a shoulder or in a log opens nothing after the login it was made for); anything
	// else is tried as a recovery code.
	if step := totpStep(secret, code, a.Clock.Now()); step >= 0 {
		ok, err := a.DB.AcceptTOTPStep(ctx, u.ID, step)
		if err != nil {
			return err
		}
		if !ok {
			return a.fail(ctx, u, st, "second_factor_replay", ip)
		}
	} else {
		ok, err := a.useRecoveryCode(ctx, u, code, ip)
		if err != nil {
			return err
		}
		if !ok {
			return a.fail(ctx, u, st, "second_factor", ip)
		}
	}
	if st.Failed != 0 {
		return a.DB.SetLoginState(ctx, u.ID, store.LoginState{})
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
