// Package notify delivers the notification outbox: WeCom and DingTalk group robots, an
// SMS gateway over HTTP, e-mail over SMTP, and the in-app notification centre — with
// retries and backoff, so that a message written with a change is never silently lost.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/smtp"
	"net/url"
	"strconv"
	"strings"
	"text/template"
	"time"

	"fugong"
	"fugong/secret"
	"fugong/store"
)

// Driver delivers one notification on its channel.
type Driver interface {
	Send(ctx context.Context, n fugong.Notification) error
}

// Config holds the gateways' settings. Empty means the channel is not set up, and its
// messages fail with a clear error after their retries.
type Config struct {
	// SMSURL is the gateway's HTTP endpoint; SMSTemplate renders the JSON body from
	// {{.Phone}} and {{.Text}} (both JSON-escaped).
	SMSURL, SMSTemplate string
	// SMTPAddr (host:port) and From send e-mail; SMTPUser and SMTPPassword are optional.
	SMTPAddr, From, SMTPUser, SMTPPassword string
}

// DefaultSMSTemplate is the body sent to the SMS gateway when none is configured.
const DefaultSMSTemplate = `{"phone": {{.Phone}}, "text": {{.Text}}}`

// Deliverer sends due notifications through their drivers.
type Deliverer struct {
	DB          *store.DB
	Log         *slog.Logger
	Drivers     map[string]Driver
	Interval    time.Duration
	MaxAttempts int
	// Keys open a recipient the outbox holds sealed (fugong.SealedRecipient).
	Keys *secret.Keys
}

// New returns a deliverer with every driver built from c, using client for HTTP.
func New(db *store.DB, log *slog.Logger, c Config, client *http.Client) (*Deliverer, error) {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	tmpl := c.SMSTemplate
	if tmpl == "" {
		tmpl = DefaultSMSTemplate
	}
	t, err := template.New("sms").Funcs(template.FuncMap{}).Parse(tmpl)
	if err != nil {
		return nil, fmt.Errorf("sms template: %w", err)
	}
	return &Deliverer{DB: db, Log: log, Interval: time.Second, MaxAttempts: 8, Drivers: map[string]Driver{
		fugong.ChannelInApp:    inApp{},
		fugong.ChannelWeCom:    Robot{Client: client, Channel: db.ChannelForDelivery},
		fugong.ChannelDingTalk: Robot{Client: client, Channel: db.ChannelForDelivery},
		fugong.ChannelSMS:      SMS{Client: client, URL: c.SMSURL, Body: t, Setting: db.Setting, Phone: db.UserPhone},
		fugong.ChannelEmail:    Email{Addr: c.SMTPAddr, From: c.From, User: c.SMTPUser, Password: c.SMTPPassword},
	}}, nil
}

// Run delivers until ctx ends.
func (d *Deliverer) Run(ctx context.Context) error {
	t := time.NewTicker(d.Interval)
	defer t.Stop()
	for {
		if _, err := d.RunDue(ctx); err != nil && ctx.Err() == nil {
			d.Log.Error("deliver notifications", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// RunDue delivers every notification due now and reports how many were tried.
func (d *Deliverer) RunDue(ctx context.Context) (int, error) {
	tried := 0
	for {
		batch, err := d.DB.ClaimNotifications(ctx, d.DB.Clock.Now(), 50)
		if err != nil || len(batch) == 0 {
			return tried, err
		}
		for _, n := range batch {
			tried++
			drv := d.Drivers[n.Channel]
			var err error
			if sealed, ok := strings.CutPrefix(n.Recipient, fugong.SealedRecipient); ok {
				if d.Keys == nil {
					err = fmt.Errorf("recipient is sealed and no keys are set")
				} else if n.Recipient, err = d.Keys.Open(sealed); err != nil {
					err = fmt.Errorf("open recipient: %w", err)
				}
			}
			switch {
			case err != nil:
			case drv == nil:
				err = fmt.Errorf("no driver for channel %q", n.Channel)
			default:
				sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
				err = drv.Send(sctx, n)
				cancel()
			}
			var retry time.Time
			if err != nil && n.Attempts < d.MaxAttempts {
				retry = d.DB.Clock.Now().Add(backoff(n.Attempts))
			}
			if err != nil {
				d.Log.Warn("notification not delivered", "id", n.ID, "channel", n.Channel, "attempt", n.Attempts, "err", err)
			}
			if e := d.DB.FinishNotification(ctx, n.ID, err, retry); e != nil {
				return tried, e
			}
		}
	}
}

// backoff is the wait before attempt n+1: 5 s, 10 s, 20 s … at most 30 minutes.
func backoff(attempt int) time.Duration {
	d := 5 * time.Second
	for i := 1; i < attempt && d < 30*time.Minute; i++ {
		d *= 2
	}
	return min(d, 30*time.Minute)
}

// inApp needs no delivery: the stored row is the notification centre's entry.
type inApp struct{}

func (inApp) Send(context.Context, fugong.Notification) error { return nil }

// Robot posts a text message to a WeCom or DingTalk group robot; both take
// {"msgtype":"text","text":{"content":…}} and answer {"errcode":0,…}: an errcode other
// than 0 is a failure with the robot's errmsg as its reason. The recipient is the
// robot's webhook URL, or fugong.ChannelRecipient and a configured channel's id, whose
// webhook, DingTalk signing secret and @mobiles are read as it is sent.
type Robot struct {
	Client *http.Client
	// Channel finds a configured channel by id; nil when channels are not used.
	Channel func(ctx context.Context, id int64) (fugong.NotifyChannel, error)
	// Now is the clock of DingTalk's signature (time.Now when nil).
	Now func() time.Time
}

// Send posts the message and checks errcode.
func (r Robot) Send(ctx context.Context, n fugong.Notification) error {
	ch := fugong.NotifyChannel{Kind: n.Channel, Webhook: n.Recipient}
	if id, ok := strings.CutPrefix(n.Recipient, fugong.ChannelRecipient); ok {
		cid, err := strconv.ParseInt(id, 10, 64)
		if err != nil || r.Channel == nil {
			return fmt.Errorf("no channel %q", id)
		}
		if ch, err = r.Channel(ctx, cid); err != nil {
			return fmt.Errorf("channel %d: %w", cid, err)
		}
	}
	text := n.Body
	if n.Subject != "" {
		text = n.Subject + "\n" + n.Body
	}
	_, err := r.SendText(ctx, ch, text)
	return err
}

// SendText posts text to a channel's robot and answers the robot's reply as it came.
func (r Robot) SendText(ctx context.Context, ch fugong.NotifyChannel, text string) (string, error) {
	if !strings.HasPrefix(ch.Webhook, "http://") && !strings.HasPrefix(ch.Webhook, "https://") {
		return "", fmt.Errorf("robot webhook %q is not an http(s) URL", ch.Webhook)
	}
	msg := map[string]any{"msgtype": "text", "text": map[string]any{"content": text}}
	var mobiles []string
	if ch.AtMobiles != "" {
		mobiles = strings.Split(ch.AtMobiles, ",")
	}
	target := ch.Webhook
	if ch.Kind == fugong.ChannelDingTalk {
		if len(mobiles) > 0 {
			msg["at"] = map[string]any{"atMobiles": mobiles, "isAtAll": false}
		}
		if ch.Secret != "" {
			now := time.Now
			if r.Now != nil {
				now = r.Now
			}
			target = SignDingTalk(ch.Webhook, ch.Secret, now())
		}
	} else if len(mobiles) > 0 {
		msg["text"] = map[string]any{"content": text, "mentioned_mobile_list": mobiles}
	}
	body, _ := json.Marshal(msg)
	var ans struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	raw, err := postJSONRaw(ctx, r.Client, target, body, &ans)
	if err != nil {
		return raw, err
	}
	if ans.ErrCode != 0 {
		return raw, fmt.Errorf("robot answered errcode %d: %s", ans.ErrCode, ans.ErrMsg)
	}
	return raw, nil
}

// SignDingTalk adds DingTalk's signature (加签) to a robot's webhook: timestamp in
// milliseconds and sign = url-encoded base64 of HMAC-SHA256, keyed by the secret, over
// "timestamp\nsecret", as DingTalk's custom-robot documentation gives it.
func SignDingTalk(webhook, secret string, now time.Time) string {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	sign := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	sep := "?"
	if strings.Contains(webhook, "?") {
		sep = "&"
	}
	return webhook + sep + "timestamp=" + ts + "&sign=" + url.QueryEscape(sign)
}

// SMS posts to an HTTP SMS gateway. The county's settings, when set on the settings
// page, win over the flags: the gateway's URL and body, its success rule ("code=0": the
// answer's JSON field code must read 0 — a 200 with another code is a failure) and the
// signature put before the text.
type SMS struct {
	Client *http.Client
	URL    string
	Body   *template.Template
	// Setting reads a county setting; nil when only the flags configure the gateway.
	Setting func(ctx context.Context, county, name, def string) (string, error)
	// Phone reads an account's phone for a recipient fugong.UserRecipient and its id.
	Phone func(ctx context.Context, id int64) (string, error)
}

// Send renders the body and posts it.
func (s SMS) Send(ctx context.Context, n fugong.Notification) error {
	url, body, success, sign := s.URL, s.Body, "", ""
	if s.Setting != nil {
		get := func(name string) string { v, _ := s.Setting(ctx, n.County, name, ""); return v }
		if u := get(fugong.SettingSMSURL); u != "" {
			url = u
		}
		if t := get(fugong.SettingSMSTemplate); t != "" {
			tt, err := template.New("sms").Parse(t)
			if err != nil {
				return fmt.Errorf("the county's SMS body template: %w", err)
			}
			body = tt
		}
		success, sign = get(fugong.SettingSMSSuccess), get(fugong.SettingSMSSignature)
	}
	if url == "" {
		return fmt.Errorf("no SMS gateway configured (settings page, or FUGONG_SMS_URL)")
	}
	if id, ok := strings.CutPrefix(n.Recipient, fugong.UserRecipient); ok {
		uid, err := strconv.ParseInt(id, 10, 64)
		if err != nil || s.Phone == nil {
			return fmt.Errorf("no account %q to text", id)
		}
		if n.Recipient, err = s.Phone(ctx, uid); err != nil || n.Recipient == "" {
			return fmt.Errorf("the phone of account %d: %v", uid, err)
		}
	}
	q := func(v string) string { b, _ := json.Marshal(v); return string(b) }
	var buf bytes.Buffer
	if err := body.Execute(&buf, map[string]string{"Phone": q(n.Recipient), "Text": q(sign + n.Body)}); err != nil {
		return err
	}
	if success == "" {
		return postJSON(ctx, s.Client, url, buf.Bytes(), nil)
	}
	field, want, _ := strings.Cut(success, "=")
	var ans map[string]any
	raw, err := postJSONRaw(ctx, s.Client, url, buf.Bytes(), &ans)
	if err != nil {
		return err
	}
	if got := fmt.Sprint(ans[strings.TrimSpace(field)]); got != strings.TrimSpace(want) {
		return fmt.Errorf("SMS gateway answered %s=%s, not %s: %s", field, got, want, raw)
	}
	return nil
}

// Email sends over SMTP.
type Email struct{ Addr, From, User, Password string }

// Send writes one plain-text message.
func (e Email) Send(ctx context.Context, n fugong.Notification) error {
	if e.Addr == "" {
		return fmt.Errorf("no SMTP server configured (FUGONG_SMTP_ADDR)")
	}
	var auth smtp.Auth
	if e.User != "" {
		host, _, _ := strings.Cut(e.Addr, ":")
		auth = smtp.PlainAuth("", e.User, e.Password, host)
	}
	msg := "From: " + e.From + "\r\nTo: " + n.Recipient + "\r\nSubject: " + mimeWord(n.Subject) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + n.Body + "\r\n"
	return smtp.SendMail(e.Addr, auth, e.From, []string{n.Recipient}, []byte(msg))
}

func mimeWord(s string) string {
	return "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
}

func postJSON(ctx context.Context, c *http.Client, url string, body []byte, into any) error {
	_, err := postJSONRaw(ctx, c, url, body, into)
	return err
}

// postJSONRaw posts body and answers the reply's text (at most 64 KiB) with the error.
func postJSONRaw(ctx context.Context, c *http.Client, url string, body []byte, into any) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return string(b), fmt.Errorf("%s answered %d", url, resp.StatusCode)
	}
	if into != nil {
		if err := json.Unmarshal(b, into); err != nil {
			return string(b), fmt.Errorf("%s answered something that is not JSON", url)
		}
	}
	return string(b), nil
}
