package fugong

import "time"

// Notification channels. A notification goes to one channel and one recipient.
const (
	ChannelInApp    = "inapp"    // the in-app notification centre; UserID is the recipient
	ChannelWeCom    = "wecom"    // a WeCom group robot webhook
	ChannelDingTalk = "dingtalk" // a DingTalk group robot webhook
	ChannelSMS      = "sms"      // the SMS gateway; Recipient is a phone number
	ChannelEmail    = "email"    // SMTP; Recipient is an address
)

// Notification is one message in the outbox. It is written in the same transaction as
// the change it tells of, and delivered afterwards with retries.
type Notification struct {
	ID        int64
	County    string
	Channel   string
	Recipient string
	UserID    int64
	Subject   string
	Body      string
	Entity    string // what it is about, e.g. "demands"
	EntityID  string
	State     string // pending, sent, failed
	Attempts  int
	NextAt    time.Time
	SentAt    time.Time
	ReadAt    time.Time
	LastError string
	CreatedAt time.Time
}

// Job is one piece of durable background work: a clock that runs out, a delivery, a
// report. Handlers must be idempotent: a job may run again after a crash.
type Job struct {
	ID       int64
	County   string
	Kind     string
	Payload  string
	RunAt    time.Time
	Attempts int
}
