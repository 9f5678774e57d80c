"""The countries we know (ISO 3166-1 alpha-2) and their emergency numbers.

Shipped as data, not a dependency: crisis lines are validated against this list, and the
Get help now page needs emergency numbers even when the database is empty.
"""

import re

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

_ISO = (
    "AD Andorra|AE United Arab Emirates|AF Afghanistan|AG Antigua and Barbuda|AI Anguilla|AL Albania|"
    "AM Armenia|AO Angola|AQ Antarctica|AR Argentina|AS American Samoa|AT Austria|AU Australia|AW Aruba|"
    "AX Åland Islands|AZ Azerbaijan|BA Bosnia and Herzegovina|BB Barbados|BD Bangladesh|BE Belgium|"
    "BF Burkina Faso|BG Bulgaria|BH Bahrain|BI Burundi|BJ Benin|BL Saint Barthélemy|BM Bermuda|BN Brunei|"
    "BO Bolivia|BQ Caribbean Netherlands|BR Brazil|BS Bahamas|BT Bhutan|BV Bouvet Island|BW Botswana|"
    "BY Belarus|BZ Belize|CA Canada|CC Cocos (Keeling) Islands|CD Congo (DRC)|CF Central African Republic|"
    "CG Congo|CH Switzerland|CI Côte d’Ivoire|CK Cook Islands|CL Chile|CM Cameroon|CN China|CO Colombia|"
    "CR Costa Rica|CU Cuba|CV Cabo Verde|CW Curaçao|CX Christmas Island|CY Cyprus|CZ Czechia|DE Germany|"
    "DJ Djibouti|DK Denmark|DM Dominica|DO Dominican Republic|DZ Algeria|EC Ecuador|EE Estonia|EG Egypt|"
    "EH Western Sahara|ER Eritrea|ES Spain|ET Ethiopia|FI Finland|FJ Fiji|FK Falkland Islands|"
    "FM Micronesia|FO Faroe Islands|FR France|GA Gabon|GB United Kingdom|GD Grenada|GE Georgia|"
    "GF French Guiana|GG Guernsey|GH Ghana|GI Gibraltar|GL Greenland|GM Gambia|GN Guinea|GP Guadeloupe|"
    "GQ Equatorial Guinea|GR Greece|GS South Georgia and the South Sandwich Islands|GT Guatemala|GU Guam|"
    "GW Guinea-Bissau|GY Guyana|HK Hong Kong|HM Heard Island and McDonald Islands|HN Honduras|HR Croatia|"
    "HT Haiti|HU Hungary|ID Indonesia|IE Ireland|IL Israel|IM Isle of Man|IN India|"
    "IO British Indian Ocean Territory|IQ Iraq|IR Iran|IS Iceland|IT Italy|JE Jersey|JM Jamaica|JO Jordan|"
    "JP Japan|KE Kenya|KG Kyrgyzstan|KH Cambodia|KI Kiribati|KM Comoros|KN Saint Kitts and Nevis|"
    "KP North Korea|KR South Korea|KW Kuwait|KY Cayman Islands|KZ Kazakhstan|LA Laos|LB Lebanon|"
    "LC Saint Lucia|LI Liechtenstein|LK Sri Lanka|LR Liberia|LS Lesotho|LT Lithuania|LU Luxembourg|"
    "LV Latvia|LY Libya|MA Morocco|MC Monaco|MD Moldova|ME Montenegro|MF Saint Martin|MG Madagascar|"
    "MH Marshall Islands|MK North Macedonia|ML Mali|MM Myanmar|MN Mongolia|MO Macao|"
    "MP Northern Mariana Islands|MQ Martinique|MR Mauritania|MS Montserrat|MT Malta|MU Mauritius|"
    "MV Maldives|MW Malawi|MX Mexico|MY Malaysia|MZ Mozambique|NA Namibia|NC New Caledonia|NE Niger|"
    "NF Norfolk Island|NG Nigeria|NI Nicaragua|NL Netherlands|NO Norway|NP Nepal|NR Nauru|NU Niue|"
    "NZ New Zealand|OM Oman|PA Panama|PE Peru|PF French Polynesia|PG Papua New Guinea|PH Philippines|"
    "PK Pakistan|PL Poland|PM Saint Pierre and Miquelon|PN Pitcairn Islands|PR Puerto Rico|PS Palestine|"
    "PT Portugal|PW Palau|PY Paraguay|QA Qatar|RE Réunion|RO Romania|RS Serbia|RU Russia|RW Rwanda|"
    "SA Saudi Arabia|SB Solomon Islands|SC Seychelles|SD Sudan|SE Sweden|SG Singapore|SH Saint Helena|"
    "SI Slovenia|SJ Svalbard and Jan Mayen|SK Slovakia|SL Sierra Leone|SM San Marino|SN Senegal|"
    "SO Somalia|SR Suriname|SS South Sudan|ST São Tomé and Príncipe|SV El Salvador|SX Sint Maarten|"
    "SY Syria|SZ Eswatini|TC Turks and Caicos Islands|TD Chad|TF French Southern Territories|TG Togo|"
    "TH Thailand|TJ Tajikistan|TK Tokelau|TL Timor-Leste|TM Turkmenistan|TN Tunisia|TO Tonga|TR Türkiye|"
    "TT Trinidad and Tobago|TV Tuvalu|TW Taiwan|TZ Tanzania|UA Ukraine|UG Uganda|"
    "UM U.S. Outlying Islands|US United States|UY Uruguay|UZ Uzbekistan|VA Vatican City|"
    "VC Saint Vincent and the Grenadines|VE Venezuela|VG British Virgin Islands|VI U.S. Virgin Islands|"
    "VN Vietnam|VU Vanuatu|WF Wallis and Futuna|WS Samoa|YE Yemen|YT Mayotte|ZA South Africa|ZM Zambia|"
    "ZW Zimbabwe"
)

COUNTRIES: dict[str, str] = dict(entry.split(" ", 1) for entry in _ISO.split("|"))

# The number to call in an emergency, where we are sure of it; elsewhere 112, which most
# mobile networks in the world route to the local emergency service.
DEFAULT_EMERGENCY_NUMBER = "112"
EMERGENCY_NUMBERS: dict[str, tuple[str, ...]] = {
    "US": ("911",),
    "CA": ("911",),
    "GB": ("999", "112"),
    "IE": ("112", "999"),
    "AU": ("000",),
    "NZ": ("111",),
}

INTERNATIONAL_LABEL = _("Anywhere in the world")

# The Get help now page remembers a visitor's chosen country in this cookie.
HELP_COOKIE = "ps_help_country"


def country_name(code: str) -> str:
    return COUNTRIES.get(code.upper(), code)


def is_country(code: str) -> bool:
    return code.upper() in COUNTRIES


def emergency_numbers(code: str | None) -> tuple[str, ...]:
    """The emergency numbers for a country, or the international default."""
    return EMERGENCY_NUMBERS.get((code or "").upper(), (DEFAULT_EMERGENCY_NUMBER,))


_LANG_RE = re.compile(r"^[a-zA-Z]{1,8}[-_]([a-zA-Z]{2})$")


def country_from_accept_language(header: str) -> str:
    """The first region in the browser's languages, best first: "en-GB,en;q=0.8" → "GB"."""
    ranked = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        match = _LANG_RE.match(tag.strip())
        if match and is_country(match.group(1)):
            ranked.append((-quality, index, match.group(1).upper()))
    return min(ranked)[2] if ranked else ""


def country_for_request(request: HttpRequest) -> str:
    """The visitor's country as the help page decides it: its cookie, else the browser's languages."""
    remembered = request.COOKIES.get(HELP_COOKIE, "").upper()
    if is_country(remembered):
        return remembered
    return country_from_accept_language(request.headers.get("Accept-Language", ""))
