"""What the tests run the product against: loopback fakes of Telegram and WhatsApp."""
