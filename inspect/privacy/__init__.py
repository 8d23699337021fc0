"""Personal data (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15): what congvu keeps about
officials, why and for how long, and the download of everything kept about one."""
