import PrivacyOps
