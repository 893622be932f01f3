package auth

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"fugong"
	"fugong/secret"
	"fugong/store"

	"golang.org/x/time/rate"
)

// Cookie names.
const (
	SessionCookie = "fugong_session"
	CSRFField     = "csrf"
	CSRFHeader    = "X-CSRF-Token"
)

// LoginBurst is how many login attempts one client address may make at once.
const LoginBurst = 30

// Lockout: after MaxFailures wrong passwords an account is locked for LockBase, doubling
// with each further failure up to LockMax.
const (
	MaxFailures = 5
	LockBase    = time.Minute
	LockMax     = time.Hour
)

// Auth logs users in and identifies callers.
type Auth struct {
	DB     *store.DB
	Clock  fugong.Clock
	Secure bool // set the Secure cookie flag (behind TLS)
	// SessionTTL and TokenTTL are how long a login and a bearer token last.
	SessionTTL, TokenTTL time.Duration
	// IdleTimeout ends a session not used for that long (0: never); 等保 2.0 level 3.
	IdleTimeout time.Duration
	// RequireTOTP makes the roles that need a second factor (admin, command) enrol a
	// TOTP authenticator before they can do anything else; an enrolled account of any
	// role always gives its code at login.
	RequireTOTP bool
	// Keys seal the TOTP secrets.
	Keys *secret.Keys

	mu       sync.Mutex
	limiters map[string]*rate.Limiter

	callers callerCache
}

// New returns an Auth with sessions of 12 hours and tokens of 30 days.
func New(db *store.DB, clock fugong.Clock) *Auth {
	return &Auth{DB: db, Clock: clock, SessionTTL: 12 * time.Hour, TokenTTL: 30 * 24 * time.Hour, limiters: map[string]*rate.Limiter{}}
}

// Caller is the authenticated user of a request.
type Caller struct {
	User  fugong.User
	Scope fugong.Scope
	// CSRF is the session's token; empty for bearer-token callers, who need none.
	CSRF string
	// SessionHash identifies the session for logout.
	SessionHash string
	// MustEnrol is set for a session of a role that needs a second factor and has none
	// yet: it may open the enrolment page only.
	MustEnrol bool
}

type callerKey struct{}

// CallerFrom returns the request's caller, if it is authenticated.
func CallerFrom(ctx context.Context) (*Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(*Caller)
	return c, ok
}

// ScopeFrom returns the caller's scope, or an empty scope that sees nothing.
func ScopeFrom(ctx context.Context) fugong.Scope {
	if c, ok := CallerFrom(ctx); ok {
		return c.Scope
	}
	return fugong.Scope{}
}

// ClientIP is the request's remote address without its port.
func ClientIP(r *http.Request) string {
	h, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return h
}

// allowAttempt limits login attempts per client address: one a second on average with
// bursts of 30, loose enough for a township office behind one address at 7 a.m., tight
// enough to stop guessing; the per-account lockout is the main guard.
func (a *Auth) allowAttempt(ip string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.limiters[ip]
	if !ok {
		if len(a.limiters) > 10000 {
			a.limiters = map[string]*rate.Limiter{}
		}
		l = rate.NewLimiter(rate.Every(time.Second), LoginBurst)
		a.limiters[ip] = l
	}
	return l.Allow()
}

// ErrBadLogin is the one answer to a wrong username, a wrong password, a disabled or a
// locked account: no hint of which part was wrong.
var ErrBadLogin = fugong.Errorf(fugong.EUNAUTH, "login.failed")

// ErrTooMany is the answer when a client address tries too fast.
var ErrTooMany = fugong.Errorf(fugong.ETOOMANY, "login.too_many")

// dummyHash keeps the time of a login for an unknown user the same as for a known one.
// It is made at the first login that needs it, not at start: one argon2id hash took
// 0.85 s of every command's start (`fugong demo` must answer /readyz within 3 s).
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("fugong-dummy-password")
	return h
})

// Login checks a username and password and returns the user.
func (a *Auth) Login(ctx context.Context, username, password, ip string) (fugong.User, error) {
	if !a.allowAttempt(ip) {
		return fugong.User{}, ErrTooMany
	}
	u, hash, err := a.DB.FindUserByUsername(ctx, strings.TrimSpace(username))
	if err != nil {
		if fugong.ErrorCode(err) == fugong.ENOTFOUND {
			CheckPassword(dummyHash(), password)
			a.DB.Count(nil, store.EventLoginFailed, "")
			return fugong.User{}, ErrBadLogin
		}
		return fugong.User{}, err
	}
	st, err := a.DB.FindLoginState(ctx, u.ID)
	if err != nil {
		return fugong.User{}, err
	}
	now := a.Clock.Now()
	if st.LockedUntil > now.UnixMilli() {
		CheckPassword(dummyHash(), password)
		a.DB.Count(nil, store.EventLoginFailed, "")
		if err := a.DB.RecordLoginFailure(ctx, u, st, "locked", false, ip); err != nil {
			return fugong.User{}, err
		}
		return fugong.User{}, ErrBadLogin
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return fugong.User{}, err
	}
	if !ok || u.Disabled {
		return fugong.User{}, a.fail(ctx, u, st, "password", ip)
	}
	if st.Failed != 0 || st.LockedUntil != 0 {
		// With a second factor, the failures count on until its code is right too: a
		// known password must not reset the guesses at the code.
		secret, err := a.DB.FindTOTP(ctx, u.ID)
		if err != nil {
			return fugong.User{}, err
		}
		if secret == "" {
			if err := a.DB.SetLoginState(ctx, u.ID, store.LoginState{}); err != nil {
				return fugong.User{}, err
			}
		}
	}
	return u, nil
}

// fail counts a failed login of u, locks the account after MaxFailures (for LockBase,
// doubling with each further failure up to LockMax), audits both, and returns the one
// answer to a bad login.
func (a *Auth) fail(ctx context.Context, u fugong.User, st store.LoginState, step, ip string) error {
	st.Failed++
	locked := false
	if st.Failed >= MaxFailures {
		d := LockBase << (st.Failed - MaxFailures)
		if d > LockMax || d <= 0 {
			d = LockMax
		}
		st.LockedUntil = a.Clock.Now().Add(d).UnixMilli()
		locked = true
	}
	if err := a.DB.RecordLoginFailure(ctx, u, st, step, locked, ip); err != nil {
		return err
	}
	a.DB.Count(nil, store.EventLoginFailed, "")
	return ErrBadLogin
}

// StartSession creates a new session for u and sets its cookie. A fresh token is made
// at every login, so a token planted before login is worthless (session fixation).
func (a *Auth) StartSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u fugong.User) error {
	return a.startSession(ctx, w, r, u, false)
}

// StartPendingSession is StartSession for an account that must still give its TOTP
// code: the session opens nothing until ConfirmSecondFactor.
func (a *Auth) StartPendingSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u fugong.User) error {
	return a.startSession(ctx, w, r, u, true)
}

func (a *Auth) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u fugong.User, pending bool) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		a.DB.DeleteSession(ctx, TokenHash(c.Value))
	}
	token := NewToken()
	exp := a.Clock.Now().Add(a.SessionTTL)
	if pending {
		// A password without its code is worth a few minutes only.
		exp = a.Clock.Now().Add(5 * time.Minute)
	}
	if err := a.DB.CreateSession(ctx, u, store.Session{TokenHash: TokenHash(token), UserID: u.ID, CSRF: NewToken(), ExpiresAt: exp, Pending: pending}, ClientIP(r)); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: a.Secure || r.TLS != nil,
		SameSite: http.SameSiteLaxMode, MaxAge: int(a.SessionTTL.Seconds())})
	return nil
}

// EndSession deletes the caller's session and clears the cookie.
func (a *Auth) EndSession(ctx context.Context, w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		a.DB.DeleteSession(ctx, TokenHash(c.Value))
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1, SameSite: http.SameSiteLaxMode})
}

// IssueToken makes a bearer token for u; only its hash is kept.
func (a *Auth) IssueToken(ctx context.Context, u fugong.User, name string) (string, time.Time, error) {
	token := NewToken()
	exp := a.Clock.Now().Add(a.TokenTTL).Truncate(time.Second)
	if err := a.DB.CreateToken(ctx, u, TokenHash(token), name, exp); err != nil {
		return "", time.Time{}, err
	}
	return token, exp, nil
}

// Identify finds the caller of a request from its bearer token or session cookie.
// It returns nil when there is none or it is not valid.
func (a *Auth) Identify(r *http.Request) (*Caller, error) {
	ctx := r.Context()
	now := a.Clock.Now()
	var c Caller
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		hash := TokenHash(strings.TrimSpace(h[7:]))
		epoch := a.DB.AuthEpoch()
		if cached := a.callers.get(hash, epoch, now); cached != nil {
			return cached, nil
		}
		u, err := a.DB.FindTokenUser(ctx, hash, now)
		if err != nil {
			if fugong.ErrorCode(err) == fugong.ENOTFOUND {
				return nil, nil
			}
			return nil, err
		}
		c.User = u
		sc, err := a.DB.ScopeOf(ctx, c.User)
		if err != nil {
			return nil, err
		}
		c.Scope = sc
		a.callers.put(hash, &c, epoch, now)
		return &c, nil
	} else if ck, err := r.Cookie(SessionCookie); err == nil && ck.Value != "" {
		s, u, err := a.DB.FindSession(ctx, TokenHash(ck.Value), now, a.idleSince(now))
		if err != nil {
			if fugong.ErrorCode(err) == fugong.ENOTFOUND {
				return nil, nil
			}
			return nil, err
		}
		if s.Pending {
			return nil, nil
		}
		c.MustEnrol = a.RequireTOTP && u.Role.NeedsSecondFactor() && !s.SecondFactor
		if now.Sub(s.LastSeen) >= time.Minute {
			if err := a.DB.TouchSession(ctx, s.TokenHash, now); err != nil {
				return nil, err
			}
		}
		c.User, c.CSRF, c.SessionHash = u, s.CSRF, s.TokenHash
	} else {
		return nil, nil
	}
	sc, err := a.DB.ScopeOf(ctx, c.User)
	if err != nil {
		return nil, err
	}
	c.Scope = sc
	return &c, nil
}

// idleSince is the oldest last use a live session may have; zero when sessions never idle.
func (a *Auth) idleSince(now time.Time) time.Time {
	if a.IdleTimeout <= 0 {
		return time.Time{}
	}
	return now.Add(-a.IdleTimeout)
}

// WithCaller returns ctx carrying the caller and, for the audit log, the actor.
func WithCaller(ctx context.Context, c *Caller, ip string) context.Context {
	ctx = context.WithValue(ctx, callerKey{}, c)
	return fugong.WithActor(ctx, fugong.Actor{UserID: c.User.ID, Username: c.User.Username, IP: ip, County: c.Scope.County})
}

// CheckCSRF reports whether an unsafe request from a session carries the session's CSRF
// token in the form field or the header. Bearer-token callers need none.
func CheckCSRF(r *http.Request, c *Caller) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	if c.SessionHash == "" {
		return true
	}
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = r.PostFormValue(CSRFField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(c.CSRF)) == 1
}
