"""Short portal texts (written in the style of ../shared/corpus/dev: Bắc Giang, Lâm Đồng, 2015–2019) that the
store and search tests load into a database."""

# Quoted from corpus/dev/000_a5a24a10da4b2c1e.txt (Tân Yên, Bắc Giang, 2015).
BAC_GIANG_A = """Huyện uỷ Tân Yên triển khai thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ Bắc Giang
Ngày đăng: 08/06/2015

 Ngày 6/6, Ban Thường vụ Huyện uỷ ban hành Kế hoạch số 134-KH/HU triển khai, thực hiện Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ về đẩy mạnh ứng dụng phát triển công nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế trên địa bàn huyện.
Với mục đích quán triệt và triển khai nghiêm túc các nội dung Nghị quyết số 36-NQ/TW ngày 01/7/2015 của Bộ Chính trị; Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính Phủ; Chỉ thị số 18-CT/TU ngày 01/4/2015 của Ban Thường vụ Tỉnh uỷ tới các cấp uỷ, chính quyền, Ủy ban MTTQ và các đoàn thể từ huyện tới cơ sở tổ chức.
"""

# Another Bắc Giang article citing the same directive without a date (written in the style of the corpus).
BAC_GIANG_B = """Tăng cường ứng dụng công nghệ thông tin trong cơ quan Đảng
Để đẩy mạnh ứng dụng công nghệ thông tin, Huyện ủy Lạng Giang tiếp tục quán triệt Chỉ thị số 18-CT/TU của Ban Thường vụ Tỉnh ủy Bắc Giang về đẩy mạnh ứng dụng phát triển công nghệ thông tin đáp ứng yêu cầu phát triển bền vững và hội nhập quốc tế.
"""

# Adapted from corpus/dev/002_f1c7b76ae52b9153.txt: another province's own 18-CT/TU (2019).
LAM_DONG = """Tăng cường ứng dụng và phát triển công nghệ thông tin trên địa bàn tỉnh
Thứ 3, ngày 21/05/2019 | 09:42 AM (GMT +7)
Để đẩy mạnh hơn nữa việc ứng dụng và phát triển CNTT nhằm phát triển kinh tế - xã hội, bảo đảm quốc phòng - an ninh, Ban Thường vụ Tỉnh ủy Lâm Đồng ban hành Chỉ thị số 18-CT/TU ngày 9/5/2019 của Ban Thường vụ Tỉnh ủy Lâm Đồng yêu cầu các cấp ủy đảng, chính quyền, Mặt trận Tổ quốc, các đoàn thể chính trị - xã hội và các cơ quan, đơn vị trên địa bàn tỉnh tập trung lãnh đạo, chỉ đạo.
Ban Cán sự đảng ủy ban nhân dân tỉnh tập trung lãnh đạo, chỉ đạo: Đẩy mạnh thực hiện xây dựng chính quyền điện tử; thực hiện nghiêm túc, hiệu quả Quyết định sổ 28/2018/QĐ-TTg, ngày 12/7/2018 của Thủ tướng Chính phủ về việc gửi, nhận văn bản điện tử giữa các cơ quan trong hệ thống hành chính Nhà nước.
"""

TEXTS = {"bac_giang_a.txt": BAC_GIANG_A, "bac_giang_b.txt": BAC_GIANG_B, "lam_dong.txt": LAM_DONG}
