"""The controlled vocabulary of council service areas.

Codes are stable identifiers used in imports, exports, URLs and the API: never rename one;
add a new area (or a child of an existing one) instead.
"""

SERVICE_AREAS: list[tuple[str, str, str]] = [
    (
        "adult-social-care",
        "Adult social care",
        "Care and support for adults: home care, day services, residential care, reablement.",
    ),
    (
        "childrens-services",
        "Children's services",
        "Children's social care, early help, fostering and adoption.",
    ),
    (
        "education-support",
        "Education support services",
        "School improvement, special educational needs support, school meals.",
    ),
    (
        "public-health",
        "Public health",
        "Sexual health, substance misuse, health visiting, school nursing.",
    ),
    ("libraries", "Libraries", "Public library services."),
    ("leisure", "Leisure and sport", "Leisure centres, swimming pools, sports development."),
    ("culture-heritage", "Culture and heritage", "Museums, arts, theatres and heritage sites."),
    ("youth-services", "Youth services", "Youth work, youth centres and youth support."),
    (
        "housing-management",
        "Housing management",
        "Management of council housing stock, including ALMOs.",
    ),
    (
        "homelessness",
        "Homelessness and housing advice",
        "Homelessness prevention, temporary accommodation, housing advice.",
    ),
    ("waste-collection", "Waste collection", "Household waste and recycling collection."),
    (
        "waste-disposal",
        "Waste disposal",
        "Waste treatment, disposal and household recycling centres.",
    ),
    ("street-cleaning", "Street cleaning", "Street cleansing and litter."),
    ("highways", "Highways", "Highway maintenance, street lighting and winter gritting."),
    (
        "parks-grounds",
        "Parks and grounds maintenance",
        "Parks, open spaces, grounds maintenance and cemeteries.",
    ),
    (
        "transport",
        "Transport",
        "Home-to-school and social-care transport, community transport, fleet.",
    ),
    (
        "planning-building-control",
        "Planning and building control",
        "Development management and building control.",
    ),
    (
        "environmental-health",
        "Environmental health",
        "Food safety, pest control, licensing enforcement.",
    ),
    (
        "facilities-management",
        "Facilities management",
        "Building maintenance, cleaning and catering for council buildings.",
    ),
    (
        "revenues-benefits",
        "Revenues and benefits",
        "Council tax, business rates and benefits administration.",
    ),
    (
        "customer-services",
        "Customer services",
        "Contact centres and face-to-face customer service.",
    ),
    ("it-services", "IT services", "Information technology and digital services."),
    ("hr-payroll", "HR and payroll", "Human resources, payroll and pensions administration."),
    (
        "finance-back-office",
        "Finance and back office",
        "Finance, procurement and other back-office services.",
    ),
    ("legal-services", "Legal services", "Legal advice and representation for the council."),
    ("careers-services", "Careers services", "Careers advice and guidance."),
    (
        "community-services",
        "Community services",
        "Community centres, community development and advice services.",
    ),
    ("markets", "Markets", "Council-run markets."),
    ("parking", "Parking", "Parking enforcement and car parks."),
    ("energy", "Energy", "Council energy companies and supply."),
]
