package fugong

import (
	"net/url"
	"slices"
	"strings"
)

// Channel events: what reaches an org unit's group robots.
const (
	EventDemandNew   = "demand.new"   // a demand arrives (the command's groups and its township's)
	EventDemandLate  = "demand.late"  // a demand's clock ran out
	EventDemandUrged = "demand.urged" // a demand was urged
)

// ChannelEvents lists the events a channel may subscribe to.
var ChannelEvents = []string{EventDemandNew, EventDemandLate, EventDemandUrged}

// ChannelRecipient prefixes the outbox recipient of a message to a configured channel:
// "channel:12". The deliverer reads the channel's webhook, secret and @mobiles when it
// sends, so that the outbox never holds a signing secret.
const ChannelRecipient = "channel:"

// UserRecipient prefixes the outbox recipient of a text to an account's phone: "user:12".
// The SMS driver reads the phone as it sends, so that the outbox holds no phone number.
const UserRecipient = "user:"

// NotifyChannel is an org unit's group robot: a WeCom or DingTalk group's webhook, with
// DingTalk's signing secret (加签) and the mobiles to @ when set, and the events it gets.
// Of kind ChannelSMS it is no robot but texts, through the county's SMS gateway, to the
// liaisons of the demand's enterprise: every liaison when the org unit is the command,
// else the liaisons whose account is of the org unit.
type NotifyChannel struct {
	ID        int64
	County    string
	OrgUnitID int64
	Kind      string // ChannelWeCom, ChannelDingTalk or ChannelSMS
	Name      string
	Webhook   string
	Secret    string // DingTalk 加签 secret ("SEC…"); empty when the robot is not signed
	AtMobiles string // comma separated
	Events    string // comma separated ChannelEvents
	Retired   bool
	Version   int64
}

// Validate checks a channel before it is saved and puts its lists in canonical form.
func (c *NotifyChannel) Validate() error {
	f := FieldErrors{}
	c.Name, c.Webhook, c.Secret = strings.TrimSpace(c.Name), strings.TrimSpace(c.Webhook), strings.TrimSpace(c.Secret)
	if c.Name == "" {
		f.Add("name", "field.required")
	}
	if c.OrgUnitID == 0 {
		f.Add("org_unit_id", "field.required")
	}
	if c.Kind != ChannelWeCom && c.Kind != ChannelDingTalk && c.Kind != ChannelSMS {
		f.Add("kind", "channel.kind")
	}
	if c.Kind == ChannelSMS {
		c.Webhook, c.AtMobiles = "", "" // the county's SMS gateway; the liaisons' own phones
	} else if u, err := url.Parse(c.Webhook); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		f.Add("webhook", "channel.webhook")
	}
	if c.Kind != ChannelDingTalk {
		c.Secret = ""
	}
	var phones []string
	for _, p := range splitList(c.AtMobiles) {
		p = NormalizePhone(p)
		if CheckPhone(p) != "" {
			f.Add("at_mobiles", "channel.at_mobile", p)
			continue
		}
		phones = append(phones, p)
	}
	c.AtMobiles = strings.Join(phones, ",")
	var events []string
	for _, e := range splitList(c.Events) {
		if !slices.Contains(ChannelEvents, e) {
			f.Add("events", "channel.event", e)
			continue
		}
		if !slices.Contains(events, e) {
			events = append(events, e)
		}
	}
	c.Events = strings.Join(events, ",")
	return f.Err()
}

// Gets reports whether the channel subscribes to event.
func (c NotifyChannel) Gets(event string) bool { return slices.Contains(splitList(c.Events), event) }

// splitList splits a list typed with commas of either width, 、 or semicolons.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// The county's SMS settings, entered on the settings page: the sender and signature put
// on each text, and the gateway — its URL, the JSON body with {{.Phone}} and {{.Text}},
// and how success is read from its answer ("code=0": the answer's field code must be 0;
// empty: any 2xx answer).
const (
	SettingSMSSender    = "sms.sender"
	SettingSMSSignature = "sms.signature"
	SettingSMSURL       = "sms.url"
	SettingSMSTemplate  = "sms.template"
	SettingSMSSuccess   = "sms.success"
)
