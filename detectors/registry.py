"""The detectors Afterguard runs, registered explicitly in one place."""

from __future__ import annotations

from detectors.pattern import PatternDetector
from detectors.patterns.address_after_cue import ADDRESS_AFTER_CUE
from detectors.patterns.address_block import ADDRESS_BLOCK
from detectors.patterns.address_tail import ADDRESS_TAIL
from detectors.patterns.address_tail_lower import ADDRESS_TAIL_LOWER
from detectors.patterns.address_under_key import ADDRESS_UNDER_KEY
from detectors.patterns.age import AGE, AGE_YEARS_OLD
from detectors.patterns.age_encryption import AGE_SECRET_KEY
from detectors.patterns.ai_providers import AI_PROVIDER_KEY
from detectors.patterns.airtable import AIRTABLE_TOKEN
from detectors.patterns.alibaba import ALIBABA_KEY
from detectors.patterns.anthropic import ANTHROPIC_KEY
from detectors.patterns.artifactory import ARTIFACTORY_TOKEN
from detectors.patterns.atlassian import ATLASSIAN_TOKEN
from detectors.patterns.authorization_header import AUTHORIZATION_HEADER
from detectors.patterns.authorization_under_key import AUTHORIZATION_UNDER_KEY
from detectors.patterns.aws import AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
from detectors.patterns.aws_bedrock import AWS_BEDROCK_KEY
from detectors.patterns.azure import AZURE_KEY
from detectors.patterns.basic_auth_option import BASIC_AUTH_OPTION
from detectors.patterns.city import CITY, CITY_LOWER_CASE
from detectors.patterns.cloudflare import CLOUDFLARE_KEY
from detectors.patterns.command_line_password import COMMAND_LINE_PASSWORD
from detectors.patterns.connection_string import CONNECTION_STRING
from detectors.patterns.country import COUNTRY
from detectors.patterns.credential_call import CREDENTIAL_CALL
from detectors.patterns.credit_card import CREDIT_CARD, CREDIT_CARD_SHORT
from detectors.patterns.crypto import CRYPTO_WALLET
from detectors.patterns.databricks import DATABRICKS_TOKEN
from detectors.patterns.datadog import DATADOG_KEY
from detectors.patterns.date_time import DATE_TIME, WEEKDAY, YEAR
from detectors.patterns.digitalocean import DIGITALOCEAN_TOKEN
from detectors.patterns.docker_config_auth import DOCKER_CONFIG_AUTH
from detectors.patterns.docker_hub import DOCKER_HUB_TOKEN
from detectors.patterns.dockerfile_env import DOCKERFILE_ENV
from detectors.patterns.doppler import DOPPLER_TOKEN
from detectors.patterns.dynatrace import DYNATRACE_TOKEN
from detectors.patterns.easypost import EASYPOST_KEY
from detectors.patterns.email import EMAIL, EMAIL_SPELLED
from detectors.patterns.facebook import FACEBOOK_TOKEN
from detectors.patterns.flutterwave import FLUTTERWAVE_KEY
from detectors.patterns.flyio import FLYIO_TOKEN
from detectors.patterns.github import GITHUB_TOKEN
from detectors.patterns.gitlab import GITLAB_TOKEN
from detectors.patterns.google import GOOGLE_API_KEY
from detectors.patterns.grafana import GRAFANA_TOKEN
from detectors.patterns.hashicorp import HASHICORP_TOKEN
from detectors.patterns.heroku import HEROKU_KEY
from detectors.patterns.huggingface import HUGGINGFACE_TOKEN
from detectors.patterns.iban import IBAN
from detectors.patterns.ip_address import IP_ADDRESS, IP_V6_ADDRESS
from detectors.patterns.jwt import JWT
from detectors.patterns.linear import LINEAR_KEY
from detectors.patterns.mailchimp import MAILCHIMP_KEY
from detectors.patterns.mailgun import MAILGUN_KEY
from detectors.patterns.mapbox import MAPBOX_TOKEN
from detectors.patterns.nationality import NATIONALITY
from detectors.patterns.newrelic import NEW_RELIC_KEY
from detectors.patterns.notion import NOTION_TOKEN
from detectors.patterns.npm import NPM_TOKEN
from detectors.patterns.okta import OKTA_TOKEN
from detectors.patterns.onepassword import ONEPASSWORD_TOKEN
from detectors.patterns.openai import OPENAI_KEY
from detectors.patterns.openshift import OPENSHIFT_TOKEN
from detectors.patterns.oracle_login import ORACLE_LOGIN
from detectors.patterns.password_assignment import PASSWORD_ASSIGNMENT
from detectors.patterns.password_under_key import PASSWORD_UNDER_KEY
from detectors.patterns.person_card import PERSON_CARD
from detectors.patterns.person_cue import PERSON_AFTER_NAME_CUE, PERSON_AFTER_SOFT_CUE
from detectors.patterns.person_list import PERSON_LIST
from detectors.patterns.person_lower import PERSON_LOWER_CASE
from detectors.patterns.person_name import PERSON_FULL_NAME, PERSON_GIVEN_NAME
from detectors.patterns.person_surname import LONE_SURNAME, SURNAME_NAME
from detectors.patterns.person_verb import PERSON_BEFORE_VERB
from detectors.patterns.phone_number import PHONE_NUMBER, PHONE_NUMBER_IN_CONTEXT
from detectors.patterns.phone_number_regions import PHONE_NUMBER_REGIONS
from detectors.patterns.pin import PIN
from detectors.patterns.place_cue import (
    PLACE_AFTER_CUE,
    PLACE_AFTER_CUE_LOWER_CASE,
    PLACE_AFTER_WEAK_CUE,
)
from detectors.patterns.postal_code import POSTAL_CODE
from detectors.patterns.postcode_after_place import POSTCODE_AFTER_PLACE
from detectors.patterns.postcode_formats import POSTCODE_FORMATS
from detectors.patterns.postcode_town import POSTCODE_BEFORE_TOWN, TOWN_BEFORE_POSTCODE
from detectors.patterns.posthog import POSTHOG_KEY
from detectors.patterns.postman import POSTMAN_KEY
from detectors.patterns.private_key import PRIVATE_KEY
from detectors.patterns.private_key_base64 import PRIVATE_KEY_BASE64
from detectors.patterns.private_key_header import PRIVATE_KEY_HEADER
from detectors.patterns.pulumi import PULUMI_TOKEN
from detectors.patterns.pypi import PYPI_TOKEN
from detectors.patterns.salesforce import SALESFORCE_TOKEN
from detectors.patterns.secret_under_key import SECRET_UNDER_KEY
from detectors.patterns.sendgrid import SENDGRID_KEY
from detectors.patterns.sentry import SENTRY_TOKEN
from detectors.patterns.shopify import SHOPIFY_TOKEN
from detectors.patterns.sidekiq import SIDEKIQ_CREDENTIAL
from detectors.patterns.slack import SLACK_TOKEN
from detectors.patterns.speaker_label import SPEAKER_LABEL
from detectors.patterns.spelled_digits import CARD_SPELLED, SSN_SPELLED
from detectors.patterns.sql_password import SQL_PASSWORD
from detectors.patterns.square import SQUARE_TOKEN
from detectors.patterns.street_address import STREET_ADDRESS, UNIT_ADDRESS
from detectors.patterns.street_before_unit import STREET_BEFORE_UNIT
from detectors.patterns.street_corner import STREET_CORNER
from detectors.patterns.street_named import STREET_NAMED
from detectors.patterns.stripe import STRIPE_KEY
from detectors.patterns.supabase import SUPABASE_TOKEN
from detectors.patterns.telegram import TELEGRAM_BOT_TOKEN
from detectors.patterns.town import PLACE_BEFORE_POSTCODE, TOWN_ABOVE_COUNTRY, WHERE_FIELD
from detectors.patterns.twilio import TWILIO_API_KEY
from detectors.patterns.url import URL
from detectors.patterns.us_bank import US_BANK_ACCOUNT
from detectors.patterns.us_driver_license import US_DRIVER_LICENSE
from detectors.patterns.us_passport import US_PASSPORT
from detectors.patterns.us_ssn import US_SSN, US_SSN_UNDER_KEY
from detectors.patterns.webhook_url import WEBHOOK_URL
from detectors.patterns.xml_credential import XML_CREDENTIAL

PII_DETECTORS: tuple[PatternDetector, ...] = (
    EMAIL,
    EMAIL_SPELLED,
    US_SSN,
    US_SSN_UNDER_KEY,
    SSN_SPELLED,
    CREDIT_CARD,
    CREDIT_CARD_SHORT,
    CARD_SPELLED,
    IBAN,
    CRYPTO_WALLET,
    PHONE_NUMBER,
    PHONE_NUMBER_IN_CONTEXT,
    PHONE_NUMBER_REGIONS,
    IP_ADDRESS,
    IP_V6_ADDRESS,
    URL,
    US_BANK_ACCOUNT,
    US_PASSPORT,
    US_DRIVER_LICENSE,
    STREET_ADDRESS,
    UNIT_ADDRESS,
    STREET_BEFORE_UNIT,
    STREET_CORNER,
    STREET_NAMED,
    ADDRESS_BLOCK,
    ADDRESS_AFTER_CUE,
    ADDRESS_TAIL,
    ADDRESS_TAIL_LOWER,
    ADDRESS_UNDER_KEY,
    POSTAL_CODE,
    POSTCODE_FORMATS,
    POSTCODE_AFTER_PLACE,
    POSTCODE_BEFORE_TOWN,
    TOWN_BEFORE_POSTCODE,
    COUNTRY,
    CITY,
    CITY_LOWER_CASE,
    TOWN_ABOVE_COUNTRY,
    WHERE_FIELD,
    PLACE_BEFORE_POSTCODE,
    NATIONALITY,
    PLACE_AFTER_CUE,
    PLACE_AFTER_WEAK_CUE,
    PLACE_AFTER_CUE_LOWER_CASE,
    AGE,
    AGE_YEARS_OLD,
    DATE_TIME,
    YEAR,
    WEEKDAY,
    PERSON_AFTER_NAME_CUE,
    PERSON_AFTER_SOFT_CUE,
    PERSON_FULL_NAME,
    PERSON_GIVEN_NAME,
    PERSON_LIST,
    PERSON_LOWER_CASE,
    PERSON_CARD,
    SURNAME_NAME,
    LONE_SURNAME,
    PERSON_BEFORE_VERB,
    SPEAKER_LABEL,
)

CREDENTIAL_DETECTORS: tuple[PatternDetector, ...] = (
    PRIVATE_KEY,
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    GITHUB_TOKEN,
    GITLAB_TOKEN,
    SLACK_TOKEN,
    STRIPE_KEY,
    GOOGLE_API_KEY,
    ANTHROPIC_KEY,
    OPENAI_KEY,
    TWILIO_API_KEY,
    SENDGRID_KEY,
    NPM_TOKEN,
    PYPI_TOKEN,
    AZURE_KEY,
    JWT,
    CONNECTION_STRING,
    PASSWORD_ASSIGNMENT,
    PIN,
    SECRET_UNDER_KEY,
    PASSWORD_UNDER_KEY,
    SQL_PASSWORD,
    COMMAND_LINE_PASSWORD,
    BASIC_AUTH_OPTION,
    ORACLE_LOGIN,
    XML_CREDENTIAL,
    AUTHORIZATION_HEADER,
    AUTHORIZATION_UNDER_KEY,
    CREDENTIAL_CALL,
    PRIVATE_KEY_HEADER,
    PRIVATE_KEY_BASE64,
    DOCKER_CONFIG_AUTH,
    DOCKERFILE_ENV,
    NEW_RELIC_KEY,
    SALESFORCE_TOKEN,
    POSTHOG_KEY,
    ATLASSIAN_TOKEN,
    CLOUDFLARE_KEY,
    DATABRICKS_TOKEN,
    SHOPIFY_TOKEN,
    DIGITALOCEAN_TOKEN,
    HASHICORP_TOKEN,
    HEROKU_KEY,
    MAILGUN_KEY,
    SQUARE_TOKEN,
    TELEGRAM_BOT_TOKEN,
    HUGGINGFACE_TOKEN,
    GRAFANA_TOKEN,
    SENTRY_TOKEN,
    DOPPLER_TOKEN,
    LINEAR_KEY,
    POSTMAN_KEY,
    PULUMI_TOKEN,
    DYNATRACE_TOKEN,
    DOCKER_HUB_TOKEN,
    ONEPASSWORD_TOKEN,
    AGE_SECRET_KEY,
    SUPABASE_TOKEN,
    AI_PROVIDER_KEY,
    NOTION_TOKEN,
    AIRTABLE_TOKEN,
    MAPBOX_TOKEN,
    WEBHOOK_URL,
    DATADOG_KEY,
    MAILCHIMP_KEY,
    ALIBABA_KEY,
    OKTA_TOKEN,
    FLYIO_TOKEN,
    FLUTTERWAVE_KEY,
    ARTIFACTORY_TOKEN,
    EASYPOST_KEY,
    OPENSHIFT_TOKEN,
    AWS_BEDROCK_KEY,
    FACEBOOK_TOKEN,
    SIDEKIQ_CREDENTIAL,
)

DEFAULT_DETECTORS: tuple[PatternDetector, ...] = CREDENTIAL_DETECTORS + PII_DETECTORS
